/** `ufw status`, `ufw status verbose`, `ufw status numbered`. */
export type UfwRecord = UfwStatus | UfwRule;

export interface UfwStatus {
  type: 'status';
  active: boolean;
  /** verbose only: `on (low)`, `off`. */
  logging?: string;
  /** verbose only: default policies (`deny`, `allow`, `reject`, `disabled`). */
  defaultIncoming?: string;
  defaultOutgoing?: string;
  defaultRouted?: string;
  line: number;
}

export interface UfwRule {
  type: 'rule';
  /** `[ 2]` in `ufw status numbered`. */
  num?: number;
  /** The To and From cells as printed. */
  to: string;
  from: string;
  /** ALLOW, DENY, REJECT, LIMIT. */
  action: string;
  /** IN, OUT, FWD; plain `ufw status` does not print IN for incoming rules (then absent). */
  direction?: string;
  /** The rule is the IPv6 copy (`(v6)`). */
  v6: boolean;
  /** Ports of the To side: numbers or ranges (`8000:8100`); absent for "any port". */
  ports?: string[];
  /** tcp/udp when the rule names one. */
  protocol?: string;
  /** Address on the To side (absent for Anywhere). */
  toAddress?: string;
  /** Address on the From side (absent for Anywhere). */
  fromAddress?: string;
  /** An application profile name instead of ports (`OpenSSH`). */
  app?: string;
  /** `on eth0` on either side. */
  interface?: string;
  comment?: string;
  line: number;
}
