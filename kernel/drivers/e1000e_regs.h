/*
 * Intel 82574L (e1000e): the registers, bits and legacy descriptor formats
 * the driver uses. Offsets are into BAR 0 (memory, 128 KiB).
 */
#ifndef KERNEL_DRIVERS_E1000E_REGS_H
#define KERNEL_DRIVERS_E1000E_REGS_H

#include <tessera/types.h>

#define E1K_VENDOR 0x8086
#define E1K_DEVICE_82574L 0x10D3

#define E1K_CTRL 0x00000
#define E1K_STATUS 0x00008
#define E1K_CTRL_EXT 0x00018
#define E1K_MDIC 0x00020     /* PHY register access */
#define E1K_ICR 0x000C0      /* read clears */
#define E1K_ITR 0x000C4
#define E1K_IMS 0x000D0      /* write 1 sets */
#define E1K_IMC 0x000D8      /* write 1 clears */
#define E1K_EIAC 0x000DC     /* 82574: causes cleared when their MSI-X vector fires */
#define E1K_IVAR 0x000E4     /* 82574: cause to MSI-X vector */
#define E1K_EITR(v) (0x000E8 + 4 * (v)) /* 82574: a vector's throttling interval */
#define E1K_RCTL 0x00100
#define E1K_TCTL 0x00400
#define E1K_TIPG 0x00410
#define E1K_RDBAL 0x02800
#define E1K_RDBAH 0x02804
#define E1K_RDLEN 0x02808
#define E1K_RDH 0x02810
#define E1K_RDT 0x02818
#define E1K_RDTR 0x02820
#define E1K_RADV 0x0282C
#define E1K_TDBAL 0x03800
#define E1K_TDBAH 0x03804
#define E1K_TDLEN 0x03808
#define E1K_TDH 0x03810
#define E1K_TDT 0x03818
#define E1K_TIDV 0x03820
#define E1K_MTA 0x05200      /* 128 dwords of multicast hash */
#define E1K_MTA_WORDS 128
#define E1K_RAL0 0x05400
#define E1K_RAH0 0x05404

#define E1K_CTRL_SLU (1u << 6)    /* set link up */
#define E1K_CTRL_RST (1u << 26)   /* self-clearing device reset */
#define E1K_STATUS_LU (1u << 1)   /* link up */
#define E1K_CTRL_EXT_PBA_CLR (1u << 31)
#define E1K_RAH_AV (1u << 31)     /* address valid */

/* MDIC: one PHY register read or write; the device sets READY when done. */
#define E1K_MDIC_REG_SHIFT 16
#define E1K_MDIC_PHY_SHIFT 21
#define E1K_MDIC_OP_WRITE (1u << 26)
#define E1K_MDIC_OP_READ (2u << 26)
#define E1K_MDIC_READY (1u << 28)
#define E1K_MDIC_ERROR (1u << 30)
#define E1K_PHY_ADDR 1
#define E1K_PHY_BMCR 0            /* basic mode control */
#define E1K_BMCR_ANRESTART (1u << 9)
#define E1K_BMCR_ANENABLE (1u << 12)

#define E1K_RCTL_EN (1u << 1)
#define E1K_RCTL_LPE (1u << 5)    /* long packets: jumbo frames */
#define E1K_RCTL_BAM (1u << 15)   /* accept broadcast */
#define E1K_RCTL_BSIZE_16K (1u << 16 | 1u << 25) /* BSIZE 01 with BSEX */
#define E1K_RCTL_SECRC (1u << 26) /* strip the CRC */

#define E1K_TCTL_EN (1u << 1)
#define E1K_TCTL_PSP (1u << 3)    /* pad short packets */
#define E1K_TCTL_CT (0x0Fu << 4)
#define E1K_TCTL_COLD (0x3Fu << 12)
#define E1K_TIPG_DEFAULT 0x00602008u

/* Interrupt causes (ICR, IMS, IMC, EIAC). */
#define E1K_INT_LSC (1u << 2)     /* link status change */
#define E1K_INT_RXQ0 (1u << 20)
#define E1K_INT_TXQ0 (1u << 22)
#define E1K_INT_OTHER (1u << 24)

/* IVAR: a 4-bit field per cause, vector number and a valid bit. */
#define E1K_IVAR_VALID 8u
#define E1K_IVAR_RXQ0_SHIFT 0
#define E1K_IVAR_TXQ0_SHIFT 8
#define E1K_IVAR_OTHER_SHIFT 16

/* Legacy receive descriptor: the device writes length, status, errors. */
struct e1k_rx_desc {
	u64 addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};
_Static_assert(sizeof(struct e1k_rx_desc) == 16, "e1000e rx descriptor");

#define E1K_RXD_DD (1u << 0)      /* descriptor done */
#define E1K_RXD_EOP (1u << 1)     /* end of packet */

/* Legacy transmit descriptor: the device writes status. */
struct e1k_tx_desc {
	u64 addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
};
_Static_assert(sizeof(struct e1k_tx_desc) == 16, "e1000e tx descriptor");

#define E1K_TXD_CMD_EOP (1u << 0)
#define E1K_TXD_CMD_IFCS (1u << 1) /* insert the CRC */
#define E1K_TXD_CMD_RS (1u << 3)   /* report status: write DD back */
#define E1K_TXD_DD (1u << 0)

#endif
