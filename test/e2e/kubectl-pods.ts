import { HOSTILE, NODE_IP } from './lab-captures.js';

/** `kubectl get pods,nodes -A -o json` for the lab; one pod carries a hostile name. */
export function podsJson(): string {
  const pod = (ns: string, name: string, ip: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${ip}` },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example/app:1' }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '10.240.0.4', startTime: '2024-05-01T09:00:00Z' },
  });
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: 'node-1' }] } },
      pod('shop', 'api-7f9c', '10.244.1.5'), pod('shop', 'worker-5d2', '10.244.2.7'), pod('evil', HOSTILE, '10.244.3.9'),
    ],
  }, null, 2);
}
