import { windowStepUs } from './window-plan.js';
import type { CaseDb } from '../db/open-case.js';
import type { ApiChannel, ApiRequest, ApiResponse, CaseInfo } from './contract.js';
import { listCorrelations } from './correlate.js';
import { compareSides } from './compare.js';
import { conntrackTimeline } from './conntrack.js';
import { openCase } from '../db/open-case.js';
import { listFanout } from './fanout.js';
import { listDrops } from '../analysis/drops/drops.js';
import { listFindings } from './findings.js';
import { listPorts, portHeatmap } from './ports.js';
import { rstSummary } from './rst-summary.js';
import { listFlowPage } from './flow-page.js';
import { exportFlowPcap } from './flow-pcap.js';
import { iterateRst } from './rst.js';
import { listDiagnostics, listSources } from './sources.js';

/** Query channels answered from one open case (ingest jobs are handled by the host: CLI, serve, Electron). */
export type QueryChannel = Exclude<ApiChannel, 'ingest.start' | 'ingest.status' | 'ingest.cancel'>;
export type QueryHandlers = { [C in QueryChannel]: (req: ApiRequest<C>) => ApiResponse<C> | Promise<ApiResponse<C>> };

export class NotImplementedError extends Error {
  constructor(channel: string) {
    super(`${channel} is not implemented yet`);
  }
}


export function createQueryHandlers(db: CaseDb, casePath: string): QueryHandlers {
  return {
    'case.info': (): CaseInfo => {
      const r = db.prepare(`SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM flows) AS flows,
        (SELECT count(*) FROM rst_events) AS rsts, (SELECT min(first_ts) FROM sources) AS firstUs, (SELECT max(last_ts) FROM sources) AS lastUs`).get() as Omit<CaseInfo, 'path' | 'nodes' | 'windowStepUs'>;
      const nodes = (db.prepare('SELECT DISTINCT node FROM sources WHERE node IS NOT NULL ORDER BY node').all() as { node: string }[]).map((n) => n.node);
      return { path: casePath, ...r, nodes, windowStepUs: windowStepUs(db) };
    },
    'sources.list': () => listSources(db),
    'diagnostics.list': (req) => listDiagnostics(db, req.sourceId),
    'flows.list': (req) => listFlowPage(db, req),
    'flows.pcap': async (req) => {
      const out = await exportFlowPcap(db, req.id);
      return { name: out.name, format: out.format, packets: out.packets, base64: Buffer.from(out.bytes).toString('base64') };
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
      if (req.windows) return compareSides({ db, window: req.windows.a }, { db, window: req.windows.b });
      if (!req.against) throw new Error('compare needs another case (against) or two windows');
      const other = openCase(req.against, { readonly: true });
      try {
        return compareSides({ db, window: {} }, { db: other, window: {} });
      } finally {
        other.close();
      }
    },
  };
}
