// Reference: pcap-parser's bare parse of a classic pcap (counts packets, nothing else).
import pcapp from 'pcap-parser';

let n = 0;
const p = pcapp.parse(process.argv[2]);
p.on('packet', () => { n++; });
p.on('end', () => { process.stdout.write(JSON.stringify({ packets: n }) + '\n'); });
p.on('error', (e) => { process.stderr.write(String(e) + '\n'); process.exit(1); });
