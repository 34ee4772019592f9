/**
 * The UI's navigation list, shared by the renderer's tabs and Electron's View menu. Pure data
 * (no imports): the renderer may import it at run time.
 */
/** The app's views, in tab and menu order. */
export const VIEWS = [
  { id: 'sources', label: 'Sources' },
  { id: 'findings', label: 'Findings' },
  { id: 'rst', label: 'RST origins' },
  { id: 'fanout', label: 'Fan-out' },
  { id: 'drops', label: 'Drops' },
  { id: 'ports', label: 'Port usage' },
  { id: 'flows', label: 'Flows' },
  { id: 'correlate', label: 'Correlation' },
  { id: 'compare', label: 'Compare' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
