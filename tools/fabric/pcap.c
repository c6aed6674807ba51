/*
 * The fabric's capture file: classic pcap (LINKTYPE_ETHERNET), one record
 * per frame as it enters the fabric, stamped with the wall clock so tshark
 * and Wireshark read it directly. Buffered through stdio; flushed when the
 * capture is closed and on the control command "flush".
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "tools/fabric/fabric.h"

struct pcap_file_hdr {
	u32 magic;
	u16 major, minor;
	s32 thiszone;
	u32 sigfigs, snaplen, linktype;
};
_Static_assert(sizeof(struct pcap_file_hdr) == 24, "pcap file header");

struct pcap_rec_hdr {
	u32 sec, usec, caplen, len;
};
_Static_assert(sizeof(struct pcap_rec_hdr) == 16, "pcap record header");

int fabric_pcap_open(const char *path)
{
	struct pcap_file_hdr h = { .magic = 0xa1b2c3d4, .major = 2, .minor = 4,
				   .snaplen = 65535, .linktype = 1 };

	fabric_pcap_close();
	fabric.pcap = fopen(path, "wb");
	if (!fabric.pcap || fwrite(&h, sizeof(h), 1, fabric.pcap) != 1) {
		fprintf(stderr, "fabric: pcap %s: %s\n", path, strerror(errno));
		fabric_pcap_close();
		return -EIO;
	}
	return 0;
}

void fabric_pcap_close(void)
{
	if (fabric.pcap)
		fclose(fabric.pcap);
	fabric.pcap = NULL;
}

void fabric_pcap_write(const u8 *frame, size_t len)
{
	struct pcap_rec_hdr r;
	struct timespec ts;

	if (!fabric.pcap)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	r.sec = (u32)ts.tv_sec;
	r.usec = (u32)(ts.tv_nsec / 1000);
	r.caplen = r.len = (u32)len;
	fwrite(&r, sizeof(r), 1, fabric.pcap);
	fwrite(frame, 1, len, fabric.pcap);
}
