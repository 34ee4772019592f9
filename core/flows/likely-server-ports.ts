/**
 * Zeek's `likely_server_ports` as `zeek -r` fills it: init-bare.zeek declares the set empty and each
 * protocol script in scripts/base/protocols loads its ports into it (`redef likely_server_ports +=
 * { ports }`). TCPAnalyzer::WantConnection and UDPAnalyzer::WantConnection read it to decide which
 * side of a connection first seen mid-stream is the server. Only ports read in those scripts
 * (zeek/zeek, Zeek 5.x-8.x) are here; a site that loads more protocol scripts flips more.
 *
 * mysql/main.zeek registers 1434 and 3306 for its analyzer but does not add them to the set, so a
 * mid-stream MySQL connection keeps the first sender as its originator, as in Zeek.
 */
export const ZEEK_LIKELY_SERVER_PORTS: Readonly<{ tcp: readonly number[]; udp: readonly number[] }> = Object.freeze({
  tcp: Object.freeze([
    21, // ftp/main.zeek
    22, // ssh/main.zeek
    25, 587, // smtp/main.zeek
    53, // dns/main.zeek
    80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http/main.zeek
    139, 445, // smb/main.zeek
    443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl/main.zeek
    3389, // rdp/main.zeek
  ]),
  udp: Object.freeze([
    53, 137, 5353, 5355, // dns/main.zeek
    161, 162, // snmp/main.zeek
    3389, // rdp/main.zeek (rdpeudp)
  ]),
});
