import type { CaseDb } from '../db/open-case.js';
import type { ApiChannel, ApiRequest, ApiResponse } from './contract.js';
import { caseInfo } from './queries/case-info.js';
import { listCorrelations } from './queries/correlate.js';
import { compareSides } from '../analysis/compare/compare.js';
import { conntrackTimeline } from '../analysis/conntrack/timeline.js';
import { openCase } from '../db/open-case.js';
import { listFanout } from '../analysis/fanout/fanout.js';
import { listDrops } from '../analysis/drops/drops.js';
import { listFindings } from '../analysis/findings/findings.js';
import { listPorts, portHeatmap } from '../analysis/snat/ports.js';
import { rstSummary } from '../analysis/rst/summary.js';
import { listFlowPage } from './queries/flow-page.js';
import { exportFlowPcap } from '../export/flow-pcap.js';
import { iterateRst } from './queries/rst.js';
import { listDiagnostics, listSources } from './queries/sources.js';

/** Query channels answered from one open case (ingest jobs are handled by the host: CLI, serve, Electron). */
export type QueryChannel = Exclude<ApiChannel, 'ingest.start' | 'ingest.status' | 'ingest.cancel'>;
export type QueryHandlers = { [C in QueryChannel]: (req: ApiRequest<C>) => ApiResponse<C> | Promise<ApiResponse<C>> };

export function createQueryHandlers(db: CaseDb, casePath: string): QueryHandlers {
  return {
    'case.info': () => caseInfo(db, casePath),
    'sources.list': () => listSources(db),
    'diagnostics.list': (req) => listDiagnostics(db, req.sourceId),
    'flows.list': (req) => listFlowPage(db, req),
    'flows.pcap': async (req) => {
      const out = await exportFlowPcap(db, req.id, { allSightings: req.all_sightings === true });
      return { name: out.name, format: out.format, packets: out.packets, copies_left_out: out.copies_left_out, base64: Buffer.from(out.bytes).toString('base64') };
    },
    'rst.list': (req) => [...iterateRst(db, req)],
    'rst.summary': (req) => rstSummary(db, req),
    'fanout.list': (req) => listFanout(db, req),
    'drops.list': (req) => listDrops(db, req),
    'ports.list': (req) => listPorts(db, req),
    'ports.heatmap': (req) => portHeatmap(db, req),
    'conntrack.timeline': (req) => conntrackTimeline(db, req),
    'correlate.list': (req) => listCorrelations(db, req),
    'findings.list': (req) => listFindings(db, req),
    'compare.run': (req) => {
      if (req.windows) return compareSides({ db, window: req.windows.before }, { db, window: req.windows.after });
      if (!req.against) throw new Error('compare needs a baseline case (against) or two windows');
      // The open case is "after" (the one being looked at); `against` is its baseline.
      const before = openCase(req.against, { readonly: true });
      try {
        return compareSides({ db: before, window: {} }, { db, window: {} });
      } finally {
        before.close();
      }
    },
  };
}
