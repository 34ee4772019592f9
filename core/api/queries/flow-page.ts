import type { CaseDb } from '../../db/open-case.js';
import type { FlowListRequest, FlowListResponse } from '../contract.js';
import { compileDisplayFilter } from '../../filter/display-filter.js';
import { FLOW_SELECT, toFlowOut, type FlowJoined } from './flows.js';
import { registerFilterFunctions } from '../../filter/sql-functions.js';
import type { FLOW_SORT_COLUMNS } from '../validate.js';

type SortColumn = (typeof FLOW_SORT_COLUMNS)[number];

/** Sort keys as SQL expressions; each is a fixed string chosen by name, never user text. */
const ORDER_BY: Record<SortColumn, string> = {
  id: 'f.id',
  proto: 'f.proto',
  orig_ip: 'f.orig_ip',
  orig_port: 'f.orig_port',
  resp_ip: 'f.resp_ip',
  resp_port: 'f.resp_port',
  start: 'f.start_us',
  end: 'f.end_us',
  duration: '(f.end_us - f.start_us)',
  state: 'f.state',
  history: 'f.history',
  orig_pkts: 'f.orig_pkts',
  resp_pkts: 'f.resp_pkts',
  orig_bytes: 'f.orig_bytes',
  resp_bytes: 'f.resp_bytes',
  rst_by: 'f.rst_by',
  source: 's.path',
  orig_pod: 'f.orig_pod',
  resp_pod: 'f.resp_pod',
  origin_guessed: 'f.origin_guessed',
};

interface CountCache { key: string; version: number; total: number }
const countCaches = new WeakMap<CaseDb, CountCache[]>();

/**
 * One page of the flows table: display filter + time window + sort + offset/limit, and the size
 * of the filtered set (for the virtualized table's scroll height). The count is remembered per
 * filter until new flows arrive, so scrolling does not recount a million rows per page.
 */
export function listFlowPage(db: CaseDb, req: FlowListRequest): FlowListResponse {
  registerFilterFunctions(db);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (req.fromUs !== undefined) { where.push('f.end_us >= ?'); params.push(req.fromUs); }
  if (req.toUs !== undefined) { where.push('f.start_us <= ?'); params.push(req.toUs); }
  const compiled = req.filter ? compileDisplayFilter(req.filter) : null;
  if (compiled) { where.push(compiled.sql); params.push(...compiled.params); }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';

  const col = req.sort?.column ?? 'start';
  const expr = ORDER_BY[col as SortColumn];
  if (!expr) throw new Error(`flows cannot be sorted by ${String(col)}`);
  const dir = req.sort?.desc ? 'DESC' : 'ASC';
  // Order and page on ids alone, then join the page's rows: sorting a million rows is cheap when
  // each carries only its key and id, not the source path and NAT peer of every row.
  const from = col === 'source' ? 'flows f JOIN sources s ON s.id = f.source_id' : 'flows f';
  const ids = (db.prepare(`SELECT f.id FROM ${from} ${whereSql} ORDER BY ${expr} ${dir}, f.id ${dir} LIMIT ? OFFSET ?`)
    .all(...params, req.limit ?? 200, req.offset ?? 0) as { id: number }[]).map((r) => r.id);
  const byId = new Map((db.prepare(`${FLOW_SELECT} WHERE f.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as FlowJoined[]).map((r) => [r.id, r]));
  const rows = ids.map((id) => toFlowOut(byId.get(id)!));

  return { rows, total: countFlows(db, whereSql, params) };
}

function countFlows(db: CaseDb, whereSql: string, params: (string | number)[]): number {
  const version = (db.prepare('SELECT coalesce(max(id), 0) AS v FROM flows').get() as { v: number }).v;
  const key = JSON.stringify([whereSql, params]);
  let cache = countCaches.get(db);
  if (!cache) countCaches.set(db, (cache = []));
  const hit = cache.find((c) => c.key === key && c.version === version);
  if (hit) return hit.total;
  const total = (db.prepare(`SELECT count(*) AS n FROM flows f ${whereSql}`).get(...params) as { n: number }).n;
  cache.unshift({ key, version, total });
  cache.length = Math.min(cache.length, 16);
  return total;
}
