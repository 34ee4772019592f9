/**
 * The podcap command line: the usage text and the command table, one file per command in
 * commands/. Importing this module runs nothing; bin/podcap.js calls main().
 */
import { cmdCompare } from './commands/compare.js';
import { cmdCorrelate } from './commands/correlate.js';
import { cmdDiagnostics } from './commands/diagnostics.js';
import { cmdDrops } from './commands/drops.js';
import { cmdFanout } from './commands/fanout.js';
import { cmdFindings } from './commands/findings.js';
import { cmdFlows } from './commands/flows.js';
import { cmdIngest } from './commands/ingest.js';
import { cmdPcap } from './commands/pcap.js';
import { cmdPorts } from './commands/ports.js';
import { cmdReport } from './commands/report.js';
import { cmdRst } from './commands/rst.js';
import { cmdSources } from './commands/sources.js';
import { cmdServe, SERVE_USAGE } from './commands/serve.js';
import { UsageError } from './args.js';
import { safeCell } from './output.js';

const USAGE = `podcap — offline Kubernetes network forensics

usage: podcap <command> [options]

commands:
  report PATH...               ingest into a temporary case and print the findings (the one-command answer)
  ingest PATH... --case FILE   read captures, node-tool dumps, folders and bundles into a case
  sources --case FILE          what the case holds (kind, node, time range, diagnostics)
  flows --case FILE            connections with Zeek conn_state and history
  rst --case FILE              every RST: who sent it, TTL evidence, verdict
  diagnostics --case FILE      problems found in the inputs
  pcap --case FILE --flow ID -w OUT   one flow's packets as a .pcap (.pcapng across link types) for Wireshark
  fanout --case FILE           who opens how many connections to where (pod, netns or IP; per evidence)
  drops --case FILE            who was dropped by the datapath, where and why (Hubble DROPPED flows)
  ports --case FILE            SNAT ports per destination, held-port utilization vs --allocation (default 1024)
  findings --case FILE         what the runbooks would conclude, with evidence and the next step
  compare --case AFTER --against BEFORE   before/after a fix: rates, RSTs, destinations, SNAT ports, findings
  compare --case FILE --window BEFORE --window AFTER   two time windows (FROM..TO) of one case
  correlate --case FILE        IP ↔ pod ↔ container ↔ netns ↔ veth ↔ node, with the evidence for each link
${SERVE_USAGE}

common options:
  --case FILE     the SQLite case file (created by ingest)
  --json          JSON Lines on stdout (one object per line), nothing else
  --limit N       at most N rows
flows options: --state S[,S...]  --ip ADDR  --port N  --proto tcp|udp|icmp
`;

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  serve: cmdServe,
  ingest: cmdIngest,
  sources: cmdSources,
  flows: cmdFlows,
  rst: cmdRst,
  pcap: cmdPcap,
  diagnostics: cmdDiagnostics,
  correlate: cmdCorrelate,
  fanout: cmdFanout,
  drops: cmdDrops,
  ports: cmdPorts,
  findings: cmdFindings,
  compare: cmdCompare,
  report: cmdReport,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`podcap: unknown command "${safeCell(cmd)}"\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`podcap ${cmd}: ${safeCell(msg)}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
