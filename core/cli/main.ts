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
import { CONN_STATES } from '../net/conn-state.js';

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
podcap <command> --help   the command's own options
`;

const CASE = '  --case FILE     the case file (made by podcap ingest)\n  --json          JSON Lines on stdout (one object per line), nothing else\n';
const LIMIT = '  --limit N       at most N rows\n';

/** `podcap <command> --help`: what the command does and every option it takes. */
const HELP: Record<string, string> = {
  report: `usage: podcap report PATH... [--keep CASE] [--json] [--verbose]\n\nIngest files, folders or bundles into a temporary case and print the findings.\nExit 1 when an input could not be read (named on stderr), or when nothing could be read.\n\n  --keep CASE     keep the case in CASE instead of a temporary file\n  --json          findings as JSON Lines\n  -v, --verbose   list every file that was not read\n`,
  ingest: `usage: podcap ingest PATH... --case FILE [--node NAME] [--json] [--verbose]\n\nRead captures, node-tool dumps, folders and archives (.tar, .tar.gz, .zip, .gz) into a case.\nEach file is one transaction; the same bytes again are a no-op. Ends with what was not read and\nwhy, and any data lost inside files that were read. Exit 1 when an input could not be read.\n\n  --case FILE     the case file (created if needed)\n  --node NAME     attach every source to this node\n  --json          one result object per file on stdout\n  -v, --verbose   list every file that was not read\n`,
  sources: `usage: podcap sources --case FILE [--json]\n\nWhat the case holds: each file's kind, node, time range, records and diagnostics.\n\n${CASE}`,
  flows: `usage: podcap flows --case FILE [--state S[,S...]] [--ip ADDR] [--port N] [--proto tcp|udp|icmp] [--limit N] [--json]\n\nConnections with Zeek's conn_state and history.\n\n${CASE}${LIMIT}  --state S,...   only these Zeek states: ${CONN_STATES.join(', ')}\n  --ip ADDR       either end is ADDR\n  --port N        either port is N\n  --proto P       tcp, udp or icmp\n`,
  rst: `usage: podcap rst --case FILE [--sender ADDR] [--limit N] [--json]\n\nEvery RST: who sent it, the TTL evidence, the capture points, and the verdict.\n\n${CASE}${LIMIT}  --sender ADDR   only RSTs sent by ADDR\n`,
  diagnostics: `usage: podcap diagnostics --case FILE [--json]\n\nProblems found in the inputs, with the file and the offset or line.\n\n${CASE}`,
  pcap: `usage: podcap pcap --case FILE --flow ID -w OUT\n\nOne flow's packets for Wireshark (a .pcap, or a .pcapng when they span link types).\n\n  --case FILE     the case file\n  --flow ID       the flow's id (podcap flows --json)\n  -w OUT          the file to write\n`,
  fanout: `usage: podcap fanout --case FILE [--limit N] [--json]\n\nWho opens how many connections to where (pod, netns or IP), per evidence source.\n\n${CASE}${LIMIT}`,
  ports: `usage: podcap ports --case FILE [--allocation N] [--limit N] [--json]\n\nSNAT ports per node IP and destination against the allocation.\n\n${CASE}${LIMIT}  --allocation N  SNAT ports allocated per node IP (default 1024)\n`,
  findings: `usage: podcap findings --case FILE [--json]\n\nWhat the runbooks would conclude, with the evidence and the next step.\n\n${CASE}`,
  compare: `usage: podcap compare --case AFTER --against BEFORE [--json]\n       podcap compare --case FILE --window BEFORE --window AFTER [--json]\n\nBefore/after a fix: connection and RST rates, destinations, SNAT ports and findings.\n"new" appeared after, "gone" was there only before; CHANGE is after − before.\n\n  --case FILE     the case after the fix (or the one case with two windows)\n  --against FILE  the baseline case, before the fix\n  --window FROM..TO   epoch seconds or ISO 8601 (UTC), either side may be empty; the first is before\n${CASE.split('\n')[1]}\n`,
  correlate: `usage: podcap correlate --case FILE [--ip ADDR] [--json]\n\nIP ↔ pod ↔ container ↔ netns ↔ veth ↔ node, with the evidence for each link.\n\n${CASE}  --ip ADDR       only this address\n`,
  serve: `usage: podcap serve --case FILE [--port N] [--open]\n\nThe UI in a browser, on 127.0.0.1 with a one-time token in the printed URL.\n\n  --case FILE     the case file (created if needed)\n  --port N        port to listen on (default: any free one)\n  --open          open the browser\n  --max-upload-mb N   largest upload accepted\n`,
};

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
    process.stderr.write(`podcap: unknown command "${safeCell(cmd)}" (podcap --help lists them)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP[cmd] ?? USAGE);
    return 0;
  }
  try {
    return await run(rest);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`podcap ${cmd}: ${safeCell(msg)}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

export { guardExit } from './exit-guard.js';
