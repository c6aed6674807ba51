#!/usr/bin/env python3
"""Decode a fabric capture with tshark and count what it saw, for a
scenario's `run` step (tests/scenarios/vm-rdma-pcap.scn):

    roce_pcap_check.py FILE.pcap

prints one line of NAME=COUNT words: frames to UDP 4791 (udp4791), frames
tshark decoded as InfiniBand/RoCEv2 (roce), malformed frames (malformed),
frames with an expert warning or error (expert), and per RC operation
class: send, write, read_req, read_resp, ack. Exits 1 if tshark fails.
tshark reads the file only; it never captures. It shows the ICRC but does
not verify it (net/rdma/roce_icrc_test.c checks ours against known frames).
"""

import subprocess
import sys

# BTH opcodes of the RC transport (IBA 9.2), by class.
CLASSES = {'send': range(0, 6), 'write': range(6, 12), 'read_req': [12],
           'read_resp': range(13, 17), 'ack': [17]}


def tshark(pcap, display_filter, field=None):
    """The lines tshark prints for frames matching display_filter."""
    argv = ['tshark', '-n', '-r', pcap, '-o', 'infiniband.rroce.port:4791',
            '-Y', display_filter]
    if field:
        argv += ['-T', 'fields', '-e', field]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if r.returncode:
        sys.stderr.write(r.stderr)
        raise SystemExit(1)
    return [line for line in r.stdout.splitlines() if line.strip()]


def main(argv):
    if len(argv) != 2:
        sys.exit('usage: roce_pcap_check.py FILE.pcap')
    pcap = argv[1]
    opcodes = [int(v, 0) for v in tshark(pcap, 'infiniband',
                                         'infiniband.bth.opcode')]
    counts = {
        'udp4791': len(tshark(pcap, 'udp.dstport == 4791')),
        'roce': len(opcodes),
        'malformed': len(tshark(pcap, '_ws.malformed')),
        'expert': len(tshark(pcap, '_ws.expert.severity >= 0x600000')),
    }
    for name, ops in CLASSES.items():
        counts[name] = sum(1 for op in opcodes if op in ops)
    print(' '.join(f'{k}={v}' for k, v in counts.items()))


if __name__ == '__main__':
    main(sys.argv)
