/**
 * Zeek's `likely_server_ports` as `zeek -r` fills it. init-bare.zeek declares the set empty; the
 * protocol scripts in scripts/base/protocols fill it: up to Zeek 8.1 each with
 * `redef likely_server_ports += { ports }`, since zeek/zeek PR #5055 (Zeek 8.2) through
 * `Analyzer::register_for_ports` (scripts/base/frameworks/analyzer/main.zeek), which adds every
 * server port an analyzer registers. TCPAnalyzer::WantConnection and UDPAnalyzer::WantConnection
 * read it to decide which side of a connection first seen mid-stream is the server.
 *
 * This is the Zeek 8.2 set, as far as each protocol's `ports` constant was read in zeek/zeek; a
 * site that loads more protocol scripts or packages flips more. Older Zeek differs in a few ports:
 * mysql (1434, 3306), postgresql and redis registered their ports without adding them, and QUIC's
 * 443/udp was not in the set.
 */
export const ZEEK_LIKELY_SERVER_PORTS: Readonly<{ tcp: readonly number[]; udp: readonly number[] }> = Object.freeze({
  tcp: Object.freeze([
    21, 2811, // ftp
    22, // ssh
    25, 587, // smtp
    53, // dns
    79, // finger
    80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http
    88, // krb
    110, // pop3
    135, // dce-rpc
    139, 445, // smb
    143, // imap
    389, 3268, // ldap
    443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl
    502, // modbus
    514, // syslog (tcp_ports)
    1434, 3306, // mysql
    1883, // mqtt
    3389, // rdp
    5222, 5269, // xmpp
    5432, // postgresql
    6379, // redis
    6666, 6667, 6668, 6669, // irc
  ]),
  udp: Object.freeze([
    53, 137, 5353, 5355, // dns
    88, // krb
    123, // ntp
    161, 162, // snmp
    389, // ldap
    443, // quic
    514, // syslog
    1812, // radius
    3389, // rdp (rdpeudp)
    5060, // sip
  ]),
});
