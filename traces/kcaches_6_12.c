/*
 * kcaches_6_12.c - the slab caches Linux 6.12.118 creates by name (GENERATED, do not edit).
 *
 * Regenerate with:
 *     tools/gen-cache-catalogue /work/linux/linux-source-6.12 > traces/kcaches_6_12.c
 * from Debian's linux-source-6.12 (Makefile: 6.12.118).  See traces/kcaches.h.
 *
 * Scanned: every .c/.h file outside Documentation/ samples/ scripts/ tools/ usr/
 * and arch/ (of arch/ only arch/x86).  Sources: direct kmem_cache_create,
 * kmem_cache_create_usercopy, KMEM_CACHE and KMEM_CACHE_USERCOPY calls with a
 * literal name; one-level wrapper functions and macros called with a literal
 * name (comment "via");
 * struct proto initialisers registered with proto_register(&p, 1).
 * Flag values are include/linux/slab.h's with the flag's config enabled
 * (SLAB_ACCOUNT needs CONFIG_MEMCG_KMEM, etc.): mask them for the kernel at hand.
 * align and size are 0 unless the argument is a literal; the row comment gives
 * the text (sizeof(...), __alignof__(...), SMP_CACHE_BYTES ...).  When a name is
 * created at several places the first in bytewise file:line order is kept and
 * the others are named in its comment.  Calls whose name is made at run time are
 * skipped and listed at the end of this file.
 *
 * 608 entries (73 with a constructor, 4 with unresolved flag terms,
 * 3 names created at more than one place, 40 from wrappers, 39 from struct proto);
 * 43 calls skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "kcaches.h"

static const struct kcache_entry kcaches_6_12[] = {
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct vsock_sock); struct proto vsock_proto via proto_register() net/core/sock.c:4105 */
	{ "AF_VSOCK", 0x04002000u, 0u, 0u, false, true, "net/vmw_vsock/af_vsock.c:123" },
	/* 0; size sizeof(struct acpi_comment_node); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-Comment", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:117" },
	/* 0; size sizeof(struct acpi_comment_addr_node); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-Comment-Addr", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:130" },
	/* 0; size sizeof(struct acpi_file_node); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-File", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:142" },
	/* 0; size sizeof(struct acpi_namespace_node); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-Namespace", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:69" },
	/* 0; size sizeof(union acpi_operand_object); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-Operand", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:104" },
	/* 0; size sizeof(struct acpi_parse_obj_common); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-Parse", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:86" },
	/* 0; size sizeof(struct acpi_parse_obj_named); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-ParseExt", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:95" },
	/* 0; size sizeof(union acpi_generic_state); via acpi_os_create_cache() drivers/acpi/osl.c:1552 */
	{ "Acpi-State", 0x00000000u, 0u, 0u, false, true, "drivers/acpi/acpica/utalloc.c:78" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct dccp_sock); struct proto dccp_v4_prot via proto_register() net/core/sock.c:4105 */
	{ "DCCP", 0x04082000u, 0u, 0u, false, true, "net/dccp/ipv4.c:963" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct dccp6_sock); struct proto dccp_v6_prot via proto_register() net/core/sock.c:4105 */
	{ "DCCPv6", 0x04082000u, 0u, 0u, false, true, "net/dccp/ipv6.c:1045" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct dgram_sock); struct proto ieee802154_dgram_prot via proto_register() net/core/sock.c:4105 */
	{ "IEEE-802.15.4-MAC", 0x04002000u, 0u, 0u, false, true, "net/ieee802154/socket.c:954" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct sock); struct proto ieee802154_raw_prot via proto_register() net/core/sock.c:4105 */
	{ "IEEE-802.15.4-RAW", 0x04002000u, 0u, 0u, false, true, "net/ieee802154/socket.c:394" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct smc6_sock); struct proto smc_inet6_prot via proto_register() net/core/sock.c:4105 */
	{ "INET6_SMC", 0x04082000u, 0u, 0u, false, true, "net/smc/smc_inet.c:70" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct smc_sock); struct proto smc_inet_prot via proto_register() net/core/sock.c:4105 */
	{ "INET_SMC", 0x04082000u, 0u, 0u, false, true, "net/smc/smc_inet.c:23" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct kcm_sock); struct proto kcm_proto via proto_register() net/core/sock.c:4105 */
	{ "KCM", 0x04002000u, 0u, 0u, false, true, "net/kcm/kcmsock.c:1518" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct l2tp_ip_sock); struct proto l2tp_ip_prot via proto_register() net/core/sock.c:4105 */
	{ "L2TP/IP", 0x04002000u, 0u, 0u, false, true, "net/l2tp/l2tp_ip.c:613" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct l2tp_ip6_sock); struct proto l2tp_ip6_prot via proto_register() net/core/sock.c:4105 */
	{ "L2TP/IPv6", 0x04002000u, 0u, 0u, false, true, "net/l2tp/l2tp_ip6.c:735" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct mptcp_sock); struct proto mptcp_prot via proto_register() net/core/sock.c:4105 */
	{ "MPTCP", 0x04082000u, 0u, 0u, false, true, "net/mptcp/protocol.c:4053" },
	/* 0; size ZPCI_PT_SIZE; align ZPCI_PT_ALIGN (unresolved) */
	{ "PCI_DMA_page_tables", 0x00000000u, 0u, 0u, false, true, "drivers/iommu/s390-iommu.c:149" },
	/* 0; size ZPCI_TABLE_SIZE; align ZPCI_TABLE_ALIGN (unresolved) */
	{ "PCI_DMA_region_tables", 0x00000000u, 0u, 0u, false, true, "drivers/iommu/s390-iommu.c:142" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct inet_sock); struct proto ping_prot via proto_register() net/core/sock.c:4105 */
	{ "PING", 0x04002000u, 0u, 0u, false, true, "net/ipv4/ping.c:1011" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct raw6_sock); struct proto pingv6_prot via proto_register() net/core/sock.c:4105 */
	{ "PINGv6", 0x04002000u, 0u, 0u, false, true, "net/ipv6/ping.c:199" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct qrtr_sock); struct proto qrtr_proto via proto_register() net/core/sock.c:4105 */
	{ "QIPCRTR", 0x04002000u, 0u, 0u, false, true, "net/qrtr/af_qrtr.c:1251" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct raw_sock); struct proto raw_prot via proto_register() net/core/sock.c:4105 */
	{ "RAW", 0x04002000u, 0u, 0u, false, true, "net/ipv4/raw.c:929" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct raw6_sock); struct proto rawv6_prot via proto_register() net/core/sock.c:4105 */
	{ "RAWv6", 0x04002000u, 0u, 0u, false, true, "net/ipv6/raw.c:1198" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct rds_sock); struct proto rds_proto via proto_register() net/core/sock.c:4105 */
	{ "RDS", 0x04002000u, 0u, 0u, false, true, "net/rds/af_rds.c:636" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct rxrpc_sock); struct proto rxrpc_proto via proto_register() net/core/sock.c:4105 */
	{ "RXRPC", 0x04002000u, 0u, 0u, false, true, "net/rxrpc/af_rxrpc.c:1011" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct sctp_sock); struct proto sctp_prot via proto_register() net/core/sock.c:4105 */
	{ "SCTP", 0x04002000u, 0u, 0u, false, true, "net/sctp/socket.c:9766" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct sctp6_sock); struct proto sctpv6_prot via proto_register() net/core/sock.c:4105 */
	{ "SCTPv6", 0x04002000u, 0u, 0u, false, true, "net/sctp/socket.c:9822" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct smc_sock); struct proto smc_proto via proto_register() net/core/sock.c:4105 */
	{ "SMC", 0x04082000u, 0u, 0u, false, true, "net/smc/af_smc.c:239" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct smc_sock); struct proto smc_proto6 via proto_register() net/core/sock.c:4105 */
	{ "SMC6", 0x04082000u, 0u, 0u, false, true, "net/smc/af_smc.c:252" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct tcp_sock); struct proto tcp_prot via proto_register() net/core/sock.c:4105 */
	{ "TCP", 0x04082000u, 0u, 0u, false, true, "net/ipv4/tcp_ipv4.c:3489" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct tcp6_sock); struct proto tcpv6_prot via proto_register() net/core/sock.c:4105 */
	{ "TCPv6", 0x04082000u, 0u, 0u, false, true, "net/ipv6/tcp_ipv6.c:2305" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct tipc_sock); struct proto tipc_proto via proto_register() net/core/sock.c:4105 */
	{ "TIPC", 0x04002000u, 0u, 0u, false, true, "net/tipc/socket.c:3436" },
	/* SLAB_POISON|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_1th_word_free", 0x10000800u, 0u, 64u, false, true, "lib/slub_kunit.c:94" },
	/* SLAB_POISON|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_50th_word_free", 0x10000800u, 0u, 64u, false, true, "lib/slub_kunit.c:109" },
	/* SLAB_RED_ZONE|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_RZ_alloc", 0x10000400u, 0u, 64u, false, true, "lib/slub_kunit.c:31" },
	/* SLAB_RED_ZONE|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_RZ_free", 0x10000400u, 0u, 64u, false, true, "lib/slub_kunit.c:125" },
	/* SLAB_KMALLOC|SLAB_STORE_USER|SLAB_RED_ZONE|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_RZ_kmalloc", 0x10011400u, 0u, 32u, false, true, "lib/slub_kunit.c:142" },
	/* SLAB_NO_MERGE|SLAB_NO_USER_FLAGS; size sizeof(struct test_kfree_rcu_struct); via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_kfree_rcu", 0x11000000u, 0u, 0u, false, true, "lib/slub_kunit.c:173" },
	/* SLAB_NO_MERGE|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_leak_destroy", 0x11000000u, 0u, 64u, false, true, "lib/slub_kunit.c:186" },
	/* SLAB_POISON|SLAB_NO_USER_FLAGS; via test_kmem_cache_create() lib/slub_kunit.c:23 */
	{ "TestSlub_next_ptr_free", 0x10000800u, 0u, 64u, false, true, "lib/slub_kunit.c:49" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct udp_sock); struct proto udp_prot via proto_register() net/core/sock.c:4105 */
	{ "UDP", 0x04002000u, 0u, 0u, false, true, "net/ipv4/udp.c:3010" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct udp_sock); struct proto udplite_prot via proto_register() net/core/sock.c:4105 */
	{ "UDP-Lite", 0x04002000u, 0u, 0u, false, true, "net/ipv4/udplite.c:45" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct udp6_sock); struct proto udplitev6_prot via proto_register() net/core/sock.c:4105 */
	{ "UDPLITEv6", 0x04002000u, 0u, 0u, false, true, "net/ipv6/udplite.c:44" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct udp6_sock); struct proto udpv6_prot via proto_register() net/core/sock.c:4105 */
	{ "UDPv6", 0x04002000u, 0u, 0u, false, true, "net/ipv6/udp.c:1821" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct unix_sock); struct proto unix_dgram_proto via proto_register() net/core/sock.c:4105 */
	{ "UNIX", 0x04002000u, 0u, 0u, false, true, "net/unix/af_unix.c:997" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct unix_sock); struct proto unix_stream_proto via proto_register() net/core/sock.c:4105 */
	{ "UNIX-STREAM", 0x04002000u, 0u, 0u, false, true, "net/unix/af_unix.c:1008" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct active_node); align __alignof__(struct active_node) (unresolved) */
	{ "active_node", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_active.c:1208" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct adfs_inode_info); ctor init_once */
	{ "adfs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/adfs/super.c:249" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct affs_inode_info); ctor init_once */
	{ "affs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/affs/super.c:131" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct afs_vnode); ctor afs_i_init_once */
	{ "afs_inode_cache", 0x04002000u, 0u, 0u, true, true, "fs/afs/super.c:106" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct asd_ascb) */
	{ "aic94xx_ascb", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/aic94xx/aic94xx_init.c:614" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct asd_dma_tok) */
	{ "aic94xx_dma_token", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/aic94xx/aic94xx_init.c:602" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct aio_kiocb); align __alignof__(struct aio_kiocb) (unresolved) */
	{ "aio_kiocb", 0x00042000u, 0u, 0u, false, true, "fs/aio.c:301" },
	/* 0; size sizeof(struct allowedips_node); align __alignof__(struct allowedips_node) (unresolved) */
	{ "allowedips_node", 0x00000000u, 0u, 0u, false, true, "drivers/net/wireguard/allowedips.c:379" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct amdgpu_fence); align __alignof__(struct amdgpu_fence) (unresolved) */
	{ "amdgpu_fence", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/amd/amdgpu/amdgpu_fence.c:48" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct amdgpu_mux_chunk); align __alignof__(struct amdgpu_mux_chunk) (unresolved) */
	{ "amdgpu_mux_chunk", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/amd/amdgpu/amdgpu_ring_mux.c:162" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct amdgpu_sync_entry); align __alignof__(struct amdgpu_sync_entry) (unresolved) */
	{ "amdgpu_sync_entry", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/amd/amdgpu/amdgpu_sync.c:473" },
	/* SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct anon_vma); ctor anon_vma_ctor */
	{ "anon_vma", 0x040c0000u, 0u, 0u, true, true, "mm/rmap.c:470" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct anon_vma_chain); align __alignof__(struct anon_vma_chain) (unresolved) */
	{ "anon_vma_chain", 0x04040000u, 0u, 0u, false, true, "mm/rmap.c:473" },
	/* 0; size sizeof(struct buf) */
	{ "aoe_bufs", 0x00000000u, 0u, 0u, false, true, "drivers/block/aoe/aoeblk.c:446" },
	/* 0; size sizeof(struct artpec6_crypto_dma_descriptors) */
	{ "artpec6_crypto_dma", 0x00000000u, 64u, 0u, false, true, "drivers/crypto/axis/artpec6_crypto.c:2885" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct asd_sas_event); align __alignof__(struct asd_sas_event) (unresolved) */
	{ "asd_sas_event", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/libsas/sas_init.c:687" },
	/* SLAB_PANIC; size sizeof(struct audit_buffer); align __alignof__(struct audit_buffer) (unresolved) */
	{ "audit_buffer", 0x00040000u, 0u, 0u, false, true, "kernel/audit.c:1701" },
	/* SLAB_PANIC; size sizeof(struct audit_tree_mark); align __alignof__(struct audit_tree_mark) (unresolved) */
	{ "audit_tree_mark", 0x00040000u, 0u, 0u, false, true, "kernel/audit_tree.c:1091" },
	/* SLAB_PANIC; size sizeof(struct avc_node); align __alignof__(struct avc_node) (unresolved) */
	{ "avc_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/avc.c:137" },
	/* SLAB_PANIC; size sizeof(struct avc_xperms_decision_node); align __alignof__(struct avc_xperms_decision_node) (unresolved) */
	{ "avc_xperms_decision_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/avc.c:139" },
	/* SLAB_PANIC; size sizeof(struct avc_xperms_node); align __alignof__(struct avc_xperms_node) (unresolved) */
	{ "avc_xperms_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/avc.c:138" },
	/* SLAB_PANIC; size sizeof(struct avtab_extended_perms); align __alignof__(struct avtab_extended_perms) (unresolved) */
	{ "avtab_extended_perms", 0x00040000u, 0u, 0u, false, true, "security/selinux/ss/avtab.c:631" },
	/* SLAB_PANIC; size sizeof(struct avtab_node); align __alignof__(struct avtab_node) (unresolved) */
	{ "avtab_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/ss/avtab.c:630" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct backing_aio); align __alignof__(struct backing_aio) (unresolved) */
	{ "backing_aio", 0x00002000u, 0u, 0u, false, true, "fs/backing-file.c:367" },
	/* SLAB_HWCACHE_ALIGN; size tg_size */
	{ "batadv_tg_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4343" },
	/* SLAB_HWCACHE_ALIGN; size tl_size */
	{ "batadv_tl_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4338" },
	/* SLAB_HWCACHE_ALIGN; size tt_change_size */
	{ "batadv_tt_change_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4354" },
	/* SLAB_HWCACHE_ALIGN; size tt_orig_size */
	{ "batadv_tt_orig_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4348" },
	/* SLAB_HWCACHE_ALIGN; size tt_req_size */
	{ "batadv_tt_req_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4360" },
	/* SLAB_HWCACHE_ALIGN; size tt_roam_size */
	{ "batadv_tt_roam_cache", 0x00002000u, 0u, 0u, false, true, "net/batman-adv/translation-table.c:4366" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct bch_inode_info); align __alignof__(struct bch_inode_info) (unresolved) */
	{ "bch_inode_info", 0x04020000u, 0u, 0u, false, true, "fs/bcachefs/fs.c:2379" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT|SLAB_PANIC; size sizeof(struct bdev_inode); ctor init_once */
	{ "bdev_cache", 0x04062000u, 0u, 0u, true, true, "block/bdev.c:417" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct befs_inode_info); ctor init_once */
	{ "befs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/befs/linuxvfs.c:436" },
	/* 0; size sizeof(struct bfq_queue); align __alignof__(struct bfq_queue) (unresolved) */
	{ "bfq_queue", 0x00000000u, 0u, 0u, false, true, "block/bfq-iosched.c:7417" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct bfs_inode_info); ctor init_once */
	{ "bfs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/bfs/inode.c:276" },
	/* 0; size sizeof(struct bio_crypt_ctx); align __alignof__(struct bio_crypt_ctx) (unresolved) */
	{ "bio_crypt_ctx", 0x00000000u, 0u, 0u, false, true, "block/blk-crypto.c:67" },
	/* 0; size sizeof(struct bio_fallback_crypt_ctx); align __alignof__(struct bio_fallback_crypt_ctx) (unresolved) */
	{ "bio_fallback_crypt_ctx", 0x00000000u, 0u, 0u, false, true, "block/blk-crypto-fallback.c:596" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct bio_integrity_payload) + sizeof(struct bio_vec) * BIO_INLINE_VECS */
	{ "bio_integrity_payload", 0x00042000u, 0u, 0u, false, true, "block/bio-integrity.c:625" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct bio_post_read_ctx); align __alignof__(struct bio_post_read_ctx) (unresolved) */
	{ "bio_post_read_ctx", 0x00020000u, 0u, 0u, false, true, "fs/ext4/readpage.c:395" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct bkey_cached); align __alignof__(struct bkey_cached) (unresolved) */
	{ "bkey_cached", 0x00020000u, 0u, 0u, false, true, "fs/bcachefs/btree_key_cache.c:808" },
	/* SLAB_PANIC; size sizeof(struct io_context) */
	{ "blkdev_ioc", 0x00040000u, 0u, 0u, false, true, "block/blk-ioc.c:449" },
	/* 0; size sizeof(struct xen_blkif) */
	{ "blkif_cache", 0x00000000u, 0u, 0u, false, true, "drivers/block/xen-blkback/xenbus.c:375" },
	/* 0; size sizeof(struct hmm_buffer_object) */
	{ "bo_cache", 0x00000000u, 0u, 0u, false, true, "drivers/staging/media/atomisp/pci/hmm/hmm_bo.c:361" },
	/* SLAB_HWCACHE_ALIGN; size NODESIZE */
	{ "btree_node", 0x00002000u, 0u, 0u, false, true, "lib/btree.c:780" },
	/* 0; size sizeof(struct btrfs_delayed_extent_op); align __alignof__(struct btrfs_delayed_extent_op) (unresolved) */
	{ "btrfs_delayed_extent_op", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/delayed-ref.c:1273" },
	/* 0; size sizeof(struct btrfs_delayed_node); align __alignof__(struct btrfs_delayed_node) (unresolved) */
	{ "btrfs_delayed_node", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/delayed-inode.c:31" },
	/* 0; size sizeof(struct btrfs_delayed_ref_head); align __alignof__(struct btrfs_delayed_ref_head) (unresolved) */
	{ "btrfs_delayed_ref_head", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/delayed-ref.c:1265" },
	/* 0; size sizeof(struct btrfs_delayed_ref_node); align __alignof__(struct btrfs_delayed_ref_node) (unresolved) */
	{ "btrfs_delayed_ref_node", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/delayed-ref.c:1269" },
	/* 0; size sizeof(struct extent_buffer) */
	{ "btrfs_extent_buffer", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/extent_io.c:174" },
	/* 0; size sizeof(struct extent_map) */
	{ "btrfs_extent_map", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/extent_map.c:18" },
	/* 0; size sizeof(struct extent_state) */
	{ "btrfs_extent_state", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/extent-io-tree.c:1886" },
	/* 0; size sizeof(struct btrfs_free_space); align __alignof__(struct btrfs_free_space) (unresolved) */
	{ "btrfs_free_space", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/free-space-cache.c:4164" },
	/* 0; size PAGE_SIZE; align PAGE_SIZE (unresolved) */
	{ "btrfs_free_space_bitmap", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/free-space-cache.c:4168" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct btrfs_inode); ctor init_once */
	{ "btrfs_inode", 0x04020000u, 0u, 0u, true, true, "fs/btrfs/inode.c:7838" },
	/* 0; size sizeof(struct inode_defrag) */
	{ "btrfs_inode_defrag", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/defrag.c:1507" },
	/* 0; size sizeof(struct btrfs_ordered_extent); align __alignof__(struct btrfs_ordered_extent) (unresolved) */
	{ "btrfs_ordered_extent", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/ordered-data.c:1332" },
	/* 0; size sizeof(struct btrfs_path); align __alignof__(struct btrfs_path) (unresolved) */
	{ "btrfs_path", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/ctree.c:5117" },
	/* 0; size sizeof(struct prelim_ref) */
	{ "btrfs_prelim_ref", 0x00000000u, 0u, 0u, false, true, "fs/btrfs/backref.c:200" },
	/* SLAB_TEMPORARY; size sizeof(struct btrfs_trans_handle); align __alignof__(struct btrfs_trans_handle) (unresolved) */
	{ "btrfs_trans_handle", 0x00020000u, 0u, 0u, false, true, "fs/btrfs/transaction.c:2723" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_PANIC; size sizeof(struct buffer_head); align __alignof__(struct buffer_head) (unresolved) */
	{ "buffer_head", 0x00060000u, 0u, 0u, false, true, "fs/buffer.c:3176" },
	/* 0; align dma_get_cache_alignment() (unresolved) */
	{ "caamqicache", 0x00000000u, 0u, 768u, false, true, "drivers/crypto/caam/qi.c:787" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct cachefiles_object) */
	{ "cachefiles_object_jar", 0x00002000u, 0u, 0u, false, true, "fs/cachefiles/main.c:59" },
	/* 0; size sizeof(struct cgw_job) */
	{ "can_gw", 0x00000000u, 0u, 0u, false, true, "net/can/gw.c:1314" },
	/* 0; size sizeof(struct receiver) */
	{ "can_receiver", 0x00000000u, 0u, 0u, false, true, "net/can/af_can.c:893" },
	/* 0; size sizeof(struct ceph_cap); align __alignof__(struct ceph_cap) (unresolved) */
	{ "ceph_cap", 0x00000000u, 0u, 0u, false, true, "fs/ceph/super.c:933" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ceph_cap_flush); align __alignof__(struct ceph_cap_flush) (unresolved) */
	{ "ceph_cap_flush", 0x00020000u, 0u, 0u, false, true, "fs/ceph/super.c:939" },
	/* 0; size sizeof(struct ceph_cap_snap); align __alignof__(struct ceph_cap_snap) (unresolved) */
	{ "ceph_cap_snap", 0x00000000u, 0u, 0u, false, true, "fs/ceph/super.c:936" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ceph_dentry_info); align __alignof__(struct ceph_dentry_info) (unresolved) */
	{ "ceph_dentry_info", 0x00020000u, 0u, 0u, false, true, "fs/ceph/super.c:944" },
	/* 0; size sizeof(struct ceph_dir_file_info); align __alignof__(struct ceph_dir_file_info) (unresolved) */
	{ "ceph_dir_file_info", 0x00000000u, 0u, 0u, false, true, "fs/ceph/super.c:953" },
	/* 0; size sizeof(struct ceph_file_info); align __alignof__(struct ceph_file_info) (unresolved) */
	{ "ceph_file_info", 0x00000000u, 0u, 0u, false, true, "fs/ceph/super.c:949" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ceph_inode_info); align __alignof__(struct ceph_inode_info) (unresolved); ctor ceph_inode_init_once */
	{ "ceph_inode_info", 0x04020000u, 0u, 0u, true, true, "fs/ceph/super.c:925" },
	/* 0; size sizeof(struct ceph_mds_request); align __alignof__(struct ceph_mds_request) (unresolved) */
	{ "ceph_mds_request", 0x00000000u, 0u, 0u, false, true, "fs/ceph/super.c:957" },
	/* 0; size sizeof(struct ceph_msg); align __alignof__(struct ceph_msg) (unresolved) */
	{ "ceph_msg", 0x00000000u, 0u, 0u, false, true, "net/ceph/messenger.c:214" },
	/* 0; size size */
	{ "ceph_osd_request", 0x00000000u, 0u, 0u, false, true, "net/ceph/osd_client.c:5412" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct cache_entry) */
	{ "cifs_dfs_cache", 0x00002000u, 0u, 0u, false, true, "fs/smb/client/dfs_cache.c:297" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct cifsInodeInfo); ctor cifs_init_once */
	{ "cifs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/smb/client/cifsfs.c:1737" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct cifs_io_request) */
	{ "cifs_io_request", 0x00002000u, 0u, 0u, false, true, "fs/smb/client/cifsfs.c:1876" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct cifs_io_subrequest) */
	{ "cifs_io_subrequest", 0x00002000u, 0u, 0u, false, true, "fs/smb/client/cifsfs.c:1886" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct mid_q_entry) */
	{ "cifs_mpx_ids", 0x00002000u, 0u, 0u, false, true, "fs/smb/client/cifsfs.c:1851" },
	/* SLAB_HWCACHE_ALIGN; size CIFSMaxBufSize + max_hdr_size */
	{ "cifs_request", 0x00002000u, 0u, 0u, false, true, "fs/smb/client/cifsfs.c:1781" },
	/* SLAB_HWCACHE_ALIGN */
	{ "cifs_small_rq", 0x00002000u, 0u, 448u, false, true, "fs/smb/client/cifsfs.c:1811" },
	/* 0; size sizeof(struct cmbe); align __alignof__(struct cmbe) (unresolved) */
	{ "cmbe_cache", 0x00000000u, 0u, 0u, false, true, "drivers/s390/cio/cmf.c:1252" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct coda_inode_info); ctor init_once */
	{ "coda_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/coda/inode.c:73" },
	/* 0; size sizeof(struct configfs_dirent) */
	{ "configfs_dir_cache", 0x00000000u, 0u, 0u, false, true, "fs/configfs/mount.c:139" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct cred); align __alignof__(struct cred) (unresolved) */
	{ "cred", 0x04042000u, 0u, 0u, false, true, "kernel/cred.c:609" },
	/* 0; size (CWQ_NUM_ENTRIES * CWQ_ENTRY_SIZE) */
	{ "cwq_queue", 0x00000000u, 64u, 0u, false, true, "drivers/crypto/n2_core.c:1559" },
	/* 0; size sizeof(struct damon_region); align __alignof__(struct damon_region) (unresolved) */
	{ "damon_region", 0x00000000u, 0u, 0u, false, true, "mm/damon/core.c:2384" },
	/* SLAB_CACHE_DMA; size PAGE_SIZE; align PAGE_SIZE (unresolved) */
	{ "dasd_page_cache", 0x00004000u, 0u, 0u, false, true, "drivers/s390/block/dasd_devmap.c:255" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct dax_device); ctor init_once */
	{ "dax_cache", 0x04022000u, 0u, 0u, true, true, "drivers/dax/super.c:556" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct dccp_ackvec); align __alignof__(struct dccp_ackvec) (unresolved) */
	{ "dccp_ackvec", 0x00002000u, 0u, 0u, false, true, "net/dccp/ackvec.c:379" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct dccp_ackvec_record); align __alignof__(struct dccp_ackvec_record) (unresolved) */
	{ "dccp_ackvec_record", 0x00002000u, 0u, 0u, false, true, "net/dccp/ackvec.c:383" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct inet_bind2_bucket) */
	{ "dccp_bind2_bucket", 0x04002000u, 0u, 0u, false, true, "net/dccp/proto.c:1142" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct inet_bind_bucket) */
	{ "dccp_bind_bucket", 0x04002000u, 0u, 0u, false, true, "net/dccp/proto.c:1136" },
	/* SLAB_DEBUG_OBJECTS|SLAB_NOLEAKTRACE; size sizeof (struct debug_obj) */
	{ "debug_objects_cache", 0x00c00000u, 0u, 0u, false, true, "lib/debugobjects.c:1436" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct dentry); align __alignof__(struct dentry) (unresolved) */
	{ "dentry", 0x04060000u, 0u, 0u, false, true, "fs/dcache.c:3159" },
	/* SLAB_PANIC; size sizeof(struct dio); align __alignof__(struct dio) (unresolved) */
	{ "dio", 0x00040000u, 0u, 0u, false, true, "fs/direct-io.c:1320" },
	/* 0; size sizeof(struct dlm_callback); align __alignof__(struct dlm_callback) (unresolved) */
	{ "dlm_cb", 0x00000000u, 0u, 0u, false, true, "fs/dlm/memory.c:51" },
	/* 0; size sizeof(struct dlm_lkb); align __alignof__(struct dlm_lkb) (unresolved) */
	{ "dlm_lkb", 0x00000000u, 0u, 0u, false, true, "fs/dlm/memory.c:37" },
	/* 0; size sizeof(struct dlm_mhandle); align __alignof__(struct dlm_mhandle) (unresolved) */
	{ "dlm_mhandle", 0x00000000u, 0u, 0u, false, true, "fs/dlm/midcomms.c:229" },
	/* 0; size sizeof(struct dlm_msg); align __alignof__(struct dlm_msg) (unresolved) */
	{ "dlm_msg", 0x00000000u, 0u, 0u, false, true, "fs/dlm/lowcomms.c:250" },
	/* 0; size sizeof(struct dlm_rsb); align __alignof__(struct dlm_rsb) (unresolved) */
	{ "dlm_rsb", 0x00000000u, 0u, 0u, false, true, "fs/dlm/memory.c:46" },
	/* 0; size sizeof(struct writequeue_entry); ctor writequeue_entry_ctor */
	{ "dlm_writequeue", 0x00000000u, 0u, 0u, true, true, "fs/dlm/lowcomms.c:244" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct dlmfs_inode_private); ctor dlmfs_init_once */
	{ "dlmfs_inode_cache", 0x04022000u, 0u, 0u, true, true, "fs/ocfs2/dlmfs/dlmfs.c:578" },
	/* 0; size sizeof(struct dm_bio_prison_cell); align __alignof__(struct dm_bio_prison_cell) (unresolved) */
	{ "dm_bio_prison_cell", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-bio-prison-v1.c:433" },
	/* 0; size sizeof(struct dm_bio_prison_cell_v2); align __alignof__(struct dm_bio_prison_cell_v2) (unresolved) */
	{ "dm_bio_prison_cell_v2", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-bio-prison-v2.c:353" },
	/* 0; size sizeof(struct bt_work); align __alignof__(struct bt_work) (unresolved) */
	{ "dm_cache_bt_work", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-cache-target.c:3572" },
	/* 0; size sizeof(struct dm_cache_migration); align __alignof__(struct dm_cache_migration) (unresolved) */
	{ "dm_cache_migration", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-cache-target.c:3566" },
	/* 0; size sizeof(struct dm_clone_region_hydration); align __alignof__(struct dm_clone_region_hydration) (unresolved) */
	{ "dm_clone_region_hydration", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-clone-target.c:2196" },
	/* 0; size sizeof(struct dm_dirty_log_flush_entry); align __alignof__(struct dm_dirty_log_flush_entry) (unresolved) */
	{ "dm_dirty_log_flush_entry", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-log-userspace-base.c:892" },
	/* 0; size sizeof(struct dm_exception); align __alignof__(struct dm_exception) (unresolved) */
	{ "dm_exception", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-snap.c:2810" },
	/* 0; size sizeof(struct dm_snap_pending_exception); align __alignof__(struct dm_snap_pending_exception) (unresolved) */
	{ "dm_snap_pending_exception", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-snap.c:2817" },
	/* 0; size sizeof(struct dm_thin_new_mapping); align __alignof__(struct dm_thin_new_mapping) (unresolved) */
	{ "dm_thin_new_mapping", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-thin.c:4522" },
	/* 0; size sizeof(struct dm_uevent); align __alignof__(struct dm_uevent) (unresolved) */
	{ "dm_uevent", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-uevent.c:194" },
	/* 0; size f->rsn << DM_VERITY_FEC_BUF_RS_BITS */
	{ "dm_verity_fec_buffers", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-verity-fec.c:769" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct d40_desc) */
	{ "dma40", 0x00002000u, 0u, 0u, false, true, "drivers/dma/ste_dma40.c:3296" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct dnotify_mark); align __alignof__(struct dnotify_mark) (unresolved) */
	{ "dnotify_mark", 0x04040000u, 0u, 0u, false, true, "fs/notify/dnotify/dnotify.c:407" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct dnotify_struct); align __alignof__(struct dnotify_struct) (unresolved) */
	{ "dnotify_struct", 0x04040000u, 0u, 0u, false, true, "fs/notify/dnotify/dnotify.c:405" },
	/* 0 */
	{ "dpaa2_caamqicache", 0x00000000u, 0u, 512u, false, true, "drivers/crypto/caam/caamalg_qi2.c:5223" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_PANIC; size sizeof(struct dquot); align sizeof(unsigned long) * 4 (unresolved) */
	{ "dquot", 0x00062000u, 0u, 0u, false, true, "fs/quota/dquot.c:3033" },
	/* 0; size sizeof(struct lc_element) */
	{ "drbd_al", 0x00000000u, 0u, 0u, false, true, "drivers/block/drbd/drbd_main.c:2109" },
	/* 0; size sizeof(struct bm_extent) */
	{ "drbd_bm", 0x00000000u, 0u, 0u, false, true, "drivers/block/drbd/drbd_main.c:2104" },
	/* 0; size sizeof(struct drbd_peer_request) */
	{ "drbd_ee", 0x00000000u, 0u, 0u, false, true, "drivers/block/drbd/drbd_main.c:2099" },
	/* 0; size sizeof(struct drbd_request) */
	{ "drbd_req", 0x00000000u, 0u, 0u, false, true, "drivers/block/drbd/drbd_main.c:2094" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct drm_i915_gem_object); align __alignof__(struct drm_i915_gem_object) (unresolved) */
	{ "drm_i915_gem_object", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/gem/i915_gem_object.c:888" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct drm_sched_fence); align __alignof__(struct drm_sched_fence) (unresolved) */
	{ "drm_sched_fence", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/scheduler/sched_fence.c:36" },
	/* SLAB_CACHE_DMA; size sizeof(struct dwc2_dma_desc) * MAX_DMA_DESC_NUM_GENERIC */
	{ "dwc2-gen-desc", 0x00004000u, 512u, 0u, false, true, "drivers/usb/dwc2/hcd.c:5259" },
	/* 0; size sizeof(struct dwc2_dma_desc) * MAX_DMA_DESC_NUM_HS_ISOC */
	{ "dwc2-hsisoc-desc", 0x00000000u, 512u, 0u, false, true, "drivers/usb/dwc2/hcd.c:5275" },
	/* SLAB_CACHE_DMA */
	{ "dwc2-unaligned-dma", 0x00004000u, 4u, 1024u, false, true, "drivers/usb/dwc2/hcd.c:5298" },
	/* SLAB_PANIC; size sizeof(struct ebitmap_node); align __alignof__(struct ebitmap_node) (unresolved) */
	{ "ebitmap_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/ss/ebitmap.c:575" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct efs_inode_info); ctor init_once */
	{ "efs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/efs/super.c:88" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct epitems_head) */
	{ "ep_head", 0x04040000u, 0u, 0u, false, true, "fs/eventpoll.c:2833" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct erofs_inode); ctor erofs_inode_init_once */
	{ "erofs_inode", 0x04020000u, 0u, 0u, true, true, "fs/erofs/super.c:935" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct epitem) */
	{ "eventpoll_epi", 0x04042000u, 0u, 0u, false, true, "fs/eventpoll.c:2825" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct eppoll_entry) */
	{ "eventpoll_pwq", 0x04040000u, 0u, 0u, false, true, "fs/eventpoll.c:2829" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct execute_cb); align __alignof__(struct execute_cb) (unresolved) */
	{ "execute_cb", 0x000a2000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_request.c:2299" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct exfat_cache); ctor exfat_cache_init_once */
	{ "exfat_cache", 0x00020000u, 0u, 0u, true, true, "fs/exfat/cache.c:47" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct exfat_inode_info); ctor exfat_inode_init_once */
	{ "exfat_inode_cache", 0x00020000u, 0u, 0u, true, true, "fs/exfat/super.c:875" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ext2_inode_info); ctor init_once */
	{ "ext2_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/ext2/super.c:214" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ext4_allocation_context); align __alignof__(struct ext4_allocation_context) (unresolved) */
	{ "ext4_allocation_context", 0x00020000u, 0u, 0u, false, true, "fs/ext4/mballoc.c:4035" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ext4_fc_dentry_update); align __alignof__(struct ext4_fc_dentry_update) (unresolved) */
	{ "ext4_fc_dentry_update", 0x00020000u, 0u, 0u, false, true, "fs/ext4/fast_commit.c:2335" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ext4_free_data); align __alignof__(struct ext4_free_data) (unresolved) */
	{ "ext4_free_data", 0x00020000u, 0u, 0u, false, true, "fs/ext4/mballoc.c:4040" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ext4_inode_info); ctor init_once */
	{ "ext4_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/ext4/super.c:1514" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ext4_io_end); align __alignof__(struct ext4_io_end) (unresolved) */
	{ "ext4_io_end", 0x00020000u, 0u, 0u, false, true, "fs/ext4/page-io.c:38" },
	/* 0; size sizeof(struct ext4_io_end_vec); align __alignof__(struct ext4_io_end_vec) (unresolved) */
	{ "ext4_io_end_vec", 0x00000000u, 0u, 0u, false, true, "fs/ext4/page-io.c:42" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ext4_prealloc_space); align __alignof__(struct ext4_prealloc_space) (unresolved) */
	{ "ext4_prealloc_space", 0x00020000u, 0u, 0u, false, true, "fs/ext4/mballoc.c:4030" },
	/* 0; size sizeof(struct ext4_system_zone); align __alignof__(struct ext4_system_zone) (unresolved) */
	{ "ext4_system_zone", 0x00000000u, 0u, 0u, false, true, "fs/ext4/block_validity.c:34" },
	/* SLAB_PANIC; size sizeof(struct extended_perms_data); align __alignof__(struct extended_perms_data) (unresolved) */
	{ "extended_perms_data", 0x00040000u, 0u, 0u, false, true, "security/selinux/avc.c:140" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct extent_status); align __alignof__(struct extent_status) (unresolved) */
	{ "extent_status", 0x00020000u, 0u, 0u, false, true, "fs/ext4/extents_status.c:161" },
	/* 0; size LV2TABLE_SIZE; align LV2TABLE_SIZE (unresolved) */
	{ "exynos-iommu-lv2table", 0x00000000u, 0u, 0u, false, true, "drivers/iommu/exynos-iommu.c:1499" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct bio_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_bio_entry_slab", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/data.c:4292" },
	/* 0; size sizeof(struct bio_iostat_ctx) */
	{ "f2fs_bio_iostat_ctx", 0x00000000u, 0u, 0u, false, true, "fs/f2fs/iostat.c:274" },
	/* 0; size sizeof(struct bio_post_read_ctx) */
	{ "f2fs_bio_post_read_ctx", 0x00000000u, 0u, 0u, false, true, "fs/f2fs/data.c:4248" },
	/* SLAB_RECLAIM_ACCOUNT; size F2FS_NAME_LEN; via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_casefolded_name", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/super.c:322" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct compress_io_ctx); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_cic_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/compress.c:2073" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct decompress_io_ctx); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_dic_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/compress.c:2077" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct discard_cmd); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_discard_cmd", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/segment.c:5697" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct discard_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_discard_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/segment.c:5692" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct extent_node); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_extent_node", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/extent_cache.c:1188" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct extent_tree); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_extent_tree", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/extent_cache.c:1184" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct free_nid); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_free_nid", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/node.c:3494" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct fsync_inode_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_fsync_inode_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/recovery.c:956" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct fsync_node_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_fsync_node_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/node.c:3504" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ino_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_ino_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/checkpoint.c:1763" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct f2fs_inode_info) */
	{ "f2fs_inode_cache", 0x04020000u, 0u, 0u, false, true, "fs/f2fs/super.c:5141" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct inode_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_inode_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/checkpoint.c:1767" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nat_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_nat_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/node.c:3489" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nat_entry_set); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_nat_entry_set", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/node.c:3499" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct revoke_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_revoke_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/segment.c:5707" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct sit_entry_set); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_sit_entry_set", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/segment.c:5702" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct victim_entry); via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_victim_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/gc.c:2064" },
	/* SLAB_RECLAIM_ACCOUNT; size DEFAULT_XATTR_SLAB_SIZE; via f2fs_kmem_cache_create() fs/f2fs/f2fs.h:2934 */
	{ "f2fs_xattr_entry", 0x00020000u, 0u, 0u, false, true, "fs/f2fs/xattr.c:836" },
	/* SLAB_PANIC; size sizeof(struct fanotify_fid_event); align __alignof__(struct fanotify_fid_event) (unresolved) */
	{ "fanotify_fid_event", 0x00040000u, 0u, 0u, false, true, "fs/notify/fanotify/fanotify_user.c:1975" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct fanotify_mark); align __alignof__(struct fanotify_mark) (unresolved) */
	{ "fanotify_mark", 0x04040000u, 0u, 0u, false, true, "fs/notify/fanotify/fanotify_user.c:1973" },
	/* SLAB_PANIC; size sizeof(struct fanotify_path_event); align __alignof__(struct fanotify_path_event) (unresolved) */
	{ "fanotify_path_event", 0x00040000u, 0u, 0u, false, true, "fs/notify/fanotify/fanotify_user.c:1977" },
	/* SLAB_PANIC; size sizeof(struct fanotify_perm_event); align __alignof__(struct fanotify_perm_event) (unresolved) */
	{ "fanotify_perm_event", 0x00040000u, 0u, 0u, false, true, "fs/notify/fanotify/fanotify_user.c:1981" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct fasync_struct) */
	{ "fasync_cache", 0x04040000u, 0u, 0u, false, true, "fs/fcntl.c:1174" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct fat_cache); ctor init_once */
	{ "fat_cache", 0x00020000u, 0u, 0u, true, true, "fs/fat/cache.c:48" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct msdos_inode_info); ctor init_once */
	{ "fat_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/fat/inode.c:787" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct fib6_node); align __alignof__(struct fib6_node) (unresolved) */
	{ "fib6_node", 0x04002000u, 0u, 0u, false, true, "net/ipv6/ip6_fib.c:2528" },
	/* SLAB_PANIC; size sizeof(struct file_lease) */
	{ "file_lease_cache", 0x00040000u, 0u, 0u, false, true, "fs/locks.c:2999" },
	/* SLAB_PANIC; size sizeof(struct file_lock) */
	{ "file_lock_cache", 0x00040000u, 0u, 0u, false, true, "fs/locks.c:2996" },
	/* SLAB_PANIC; size sizeof(struct file_lock_context) */
	{ "file_lock_ctx", 0x00040000u, 0u, 0u, false, true, "fs/locks.c:2993" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct files_struct) */
	{ "files_cache", 0x04042000u, 0u, 0u, false, true, "kernel/fork.c:3223" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct file); align &args (unresolved) */
	{ "filp", 0x040c2000u, 0u, 0u, false, true, "fs/file_table.c:566" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct fnic_io_req) */
	{ "fnic_io_req", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/fnic/fnic_main.c:1185" },
	/* SLAB_HWCACHE_ALIGN; size len + FNIC_SG_DESC_ALIGN */
	{ "fnic_sgl_dflt", 0x00002000u, 16u, 0u, false, true, "drivers/scsi/fnic/fnic_main.c:1162" },
	/* SLAB_HWCACHE_ALIGN; size len + FNIC_SG_DESC_ALIGN */
	{ "fnic_sgl_max", 0x00002000u, 16u, 0u, false, true, "drivers/scsi/fnic/fnic_main.c:1174" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct fq_flow) */
	{ "fq_flow_cache", 0x00002000u, 0u, 0u, false, true, "net/sched/sch_fq.c:1318" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct fs_struct) */
	{ "fs_cache", 0x04042000u, 0u, 0u, false, true, "kernel/fork.c:3227" },
	/* 0; size sizeof(struct fscache_cookie) */
	{ "fscache_cookie_jar", 0x00000000u, 0u, 0u, false, true, "fs/netfs/fscache_main.c:77" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct fscrypt_inode_info); align __alignof__(struct fscrypt_inode_info) (unresolved) */
	{ "fscrypt_inode_info", 0x00020000u, 0u, 0u, false, true, "fs/crypto/crypto.c:412" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct fsl_dma_domain) */
	{ "fsl_pamu_domain", 0x00002000u, 0u, 0u, false, true, "drivers/iommu/fsl_pamu_domain.c:34" },
	/* SLAB_PANIC; size sizeof(struct fsnotify_mark_connector); align __alignof__(struct fsnotify_mark_connector) (unresolved) */
	{ "fsnotify_mark_connector", 0x00040000u, 0u, 0u, false, true, "fs/notify/fsnotify.c:681" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_PANIC; size sizeof(struct fsverity_info); align __alignof__(struct fsverity_info) (unresolved) */
	{ "fsverity_info", 0x00060000u, 0u, 0u, false, true, "fs/verity/open.c:413" },
	/* SLAB_PANIC; size sizeof(struct ftrace_event_field); align __alignof__(struct ftrace_event_field) (unresolved) */
	{ "ftrace_event_field", 0x00040000u, 0u, 0u, false, true, "kernel/trace/trace_events.c:4265" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_RECLAIM_ACCOUNT; size sizeof(struct fuse_inode); ctor fuse_inode_init_once */
	{ "fuse_inode", 0x04022000u, 0u, 0u, true, true, "fs/fuse/inode.c:2081" },
	/* 0; size sizeof(struct fuse_req) */
	{ "fuse_request", 0x00000000u, 0u, 0u, false, true, "fs/fuse/dev.c:2519" },
	/* 0; size sizeof(struct g2d_runqueue_node) */
	{ "g2d_runqueue_slab", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/drm/exynos/exynos_drm_g2d.c:1459" },
	/* 0; size sizeof(struct gb_message) */
	{ "gb_message_cache", 0x00000000u, 0u, 0u, false, true, "drivers/greybus/operation.c:1227" },
	/* 0; size sizeof(struct gb_operation) */
	{ "gb_operation_cache", 0x00000000u, 0u, 0u, false, true, "drivers/greybus/operation.c:1233" },
	/* 0; size sizeof(struct gfs2_bufdata) */
	{ "gfs2_bufdata", 0x00000000u, 0u, 0u, false, true, "fs/gfs2/main.c:119" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct gfs2_glock); ctor gfs2_init_glock_once */
	{ "gfs2_glock", 0x00020000u, 0u, 0u, true, true, "fs/gfs2/main.c:97" },
	/* 0; size sizeof(struct gfs2_glock_aspace); ctor gfs2_init_gl_aspace_once */
	{ "gfs2_glock(aspace)", 0x00000000u, 0u, 0u, true, true, "fs/gfs2/main.c:104" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct gfs2_inode); ctor gfs2_init_inode_once */
	{ "gfs2_inode", 0x04020000u, 0u, 0u, true, true, "fs/gfs2/main.c:111" },
	/* 0; size sizeof(struct gfs2_qadata) */
	{ "gfs2_qadata", 0x00000000u, 0u, 0u, false, true, "fs/gfs2/main.c:137" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct gfs2_quota_data) */
	{ "gfs2_quotad", 0x00020000u, 0u, 0u, false, true, "fs/gfs2/main.c:131" },
	/* 0; size sizeof(struct gfs2_rgrpd) */
	{ "gfs2_rgrpd", 0x00000000u, 0u, 0u, false, true, "fs/gfs2/main.c:125" },
	/* 0; size sizeof(struct gfs2_trans) */
	{ "gfs2_trans", 0x00000000u, 0u, 0u, false, true, "fs/gfs2/main.c:143" },
	/* 0; size sizeof(struct gpu_buddy_block); align __alignof__(struct gpu_buddy_block) (unresolved) */
	{ "gpu_buddy_block", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/buddy.c:1336" },
	/* SLAB_CACHE_DMA32; align GSMI_BUF_ALIGN (unresolved) */
	{ "gsmi", 0x00008000u, 0u, 1024u, false, true, "drivers/firmware/google/gsmi.c:939" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct intel_vgpu_workload) */
	{ "gvt-g_vgpu_workload", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/gvt/scheduler.c:1422" },
	/* SLAB_PANIC; size sizeof(struct hashtab_node); align __alignof__(struct hashtab_node) (unresolved) */
	{ "hashtab_node", 0x00040000u, 0u, 0u, false, true, "security/selinux/ss/hashtab.c:197" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct hfs_inode_info); ctor hfs_init_once */
	{ "hfs_inode_cache", 0x04002000u, 0u, 0u, true, true, "fs/hfs/super.c:482" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(hfsplus_attr_entry) */
	{ "hfsplus_attr_cache", 0x00002000u, 0u, 0u, false, true, "fs/hfsplus/attributes.c:21" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size HFSPLUS_INODE_SIZE; ctor hfsplus_init_once */
	{ "hfsplus_icache", 0x04002000u, 0u, 0u, true, true, "fs/hfsplus/super.c:689" },
	/* 0; size sizeof(struct hostfs_inode_info); align __alignof__(struct hostfs_inode_info) (unresolved) */
	{ "hostfs_inode_info", 0x00000000u, 0u, 0u, false, true, "fs/hostfs/hostfs_kern.c:1074" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct hp_handler); align L1_CACHE_BYTES (unresolved) */
	{ "hp_handler_slab", 0x00002000u, 0u, 0u, false, true, "drivers/soc/fsl/qbman/qman_test_stash.c:573" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct hpfs_inode_info); ctor init_once */
	{ "hpfs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/hpfs/super.c:255" },
	/* SLAB_ACCOUNT; size sizeof(struct hugetlbfs_inode_info); ctor init_once */
	{ "hugetlbfs_inode_cache", 0x04000000u, 0u, 0u, true, true, "fs/hugetlbfs/inode.c:1674" },
	/* 0; size sizeof(struct iucv_tty_buffer) */
	{ "hvc_iucv", 0x00000000u, 0u, 0u, false, true, "drivers/tty/hvc/hvc_iucv.c:1346" },
	/* SLAB_HWCACHE_ALIGN|SLAB_TYPESAFE_BY_RCU; size sizeof(struct i915_dependency); align __alignof__(struct i915_dependency) (unresolved) */
	{ "i915_dependency", 0x00082000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_scheduler.c:496" },
	/* 0; size sizeof(struct i915_lut_handle); align __alignof__(struct i915_lut_handle) (unresolved) */
	{ "i915_lut_handle", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/gem/i915_gem_context.c:2714" },
	/* 0; size sizeof(struct i915_priolist); align __alignof__(struct i915_priolist) (unresolved) */
	{ "i915_priolist", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_scheduler.c:502" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct i915_request); align __alignof__(struct i915_request) (unresolved); ctor __i915_request_ctor */
	{ "i915_request", 0x000a2000u, 0u, 0u, true, true, "drivers/gpu/drm/i915/i915_request.c:2289" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct i915_vma); align __alignof__(struct i915_vma) (unresolved) */
	{ "i915_vma", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_vma.c:2307" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct i915_vma_resource); align __alignof__(struct i915_vma_resource) (unresolved) */
	{ "i915_vma_resource", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/i915_vma_resource.c:420" },
	/* SLAB_PANIC; size sizeof(struct ima_iint_cache); ctor ima_iint_init_once */
	{ "ima_iint_cache", 0x00040000u, 0u, 0u, true, true, "security/integrity/ima/ima_iint.c:136" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct inet_peer); align __alignof__(struct inet_peer) (unresolved) */
	{ "inet_peer", 0x00042000u, 0u, 0u, false, true, "net/ipv4/inetpeer.c:113" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct inode); ctor init_once */
	{ "inode_cache", 0x04060000u, 0u, 0u, true, true, "fs/inode.c:2445" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct inotify_inode_mark); align __alignof__(struct inotify_inode_mark) (unresolved) */
	{ "inotify_inode_mark", 0x04040000u, 0u, 0u, false, true, "fs/notify/inotify/inotify_user.c:845" },
	/* 0; size sizeof(struct journal_io) */
	{ "integrity_journal_io", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-integrity.c:5422" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct intel_context); align __alignof__(struct intel_context) (unresolved) */
	{ "intel_context", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/i915/gt/intel_context.c:463" },
	/* 0; size sizeof(struct io); align __alignof__(struct io) (unresolved) */
	{ "io", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-io.c:528" },
	/* 0; unresolved flags: slab_flag; size ARM_V7S_TABLE_SIZE(2, cfg); align ARM_V7S_TABLE_SIZE(2, cfg) (unresolved) */
	{ "io-pgtable_armv7s_l2", 0x00000000u, 0u, 0u, false, false, "drivers/iommu/io-pgtable-arm-v7s.c:823" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size sizeof(struct io_kiocb); align &kmem_args (unresolved) */
	{ "io_kiocb", 0x040c2000u, 0u, 0u, false, true, "io_uring/io_uring.c:3981" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ioat_ring_ent) */
	{ "ioat", 0x00002000u, 0u, 0u, false, true, "drivers/dma/ioat/init.c:1425" },
	/* 0; size sizeof(struct ioat_sed_ent); align __alignof__(struct ioat_sed_ent) (unresolved) */
	{ "ioat_sed_ent", 0x00000000u, 0u, 0u, false, true, "drivers/dma/ioat/init.c:1430" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct device_domain_info) */
	{ "iommu_devinfo", 0x00002000u, 0u, 0u, false, true, "drivers/iommu/fsl_pamu_domain.c:44" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct iova) */
	{ "iommu_iova", 0x00002000u, 0u, 0u, false, true, "drivers/iommu/iova.c:959" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct iova_magazine) */
	{ "iommu_iova_magazine", 0x00002000u, 0u, 0u, false, true, "drivers/iommu/iova.c:964" },
	/* 0; unresolved flags: flags; size IOPTE_TABLE_SIZE; align align (unresolved) */
	{ "iopte_cache", 0x00000000u, 0u, 0u, false, false, "drivers/iommu/omap-iommu.c:1756" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct rt6_info) */
	{ "ip6_dst_cache", 0x04002000u, 0u, 0u, false, true, "net/ipv6/route.c:6783" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct fib_alias) */
	{ "ip_fib_alias", 0x04040000u, 0u, 0u, false, true, "net/ipv4/fib_trie.c:2383" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size LEAF_SIZE */
	{ "ip_fib_trie", 0x04040000u, 0u, 0u, false, true, "net/ipv4/fib_trie.c:2387" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ip_vs_conn); align __alignof__(struct ip_vs_conn) (unresolved) */
	{ "ip_vs_conn", 0x00002000u, 0u, 0u, false, true, "net/netfilter/ipvs/ip_vs_conn.c:1503" },
	/* 0; size remap_cache_sz; align DTE_INTTAB_ALIGNMENT (unresolved) */
	{ "irq_remap_cache", 0x00000000u, 0u, 0u, false, true, "drivers/iommu/amd/init.c:3203" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct iser_tx_desc) */
	{ "iser_descriptors", 0x00002000u, 0u, 0u, false, true, "drivers/infiniband/ulp/iser/iscsi_iser.c:1023" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct iso_inode_info); ctor init_once */
	{ "isofs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/isofs/inode.c:94" },
	/* SLAB_TEMPORARY; size sizeof(struct isp1760_qh) */
	{ "isp1760_qh", 0x00020000u, 0u, 0u, false, true, "drivers/usb/isp1760/isp1760-hcd.c:2535" },
	/* SLAB_TEMPORARY; size sizeof(struct isp1760_qtd) */
	{ "isp1760_qtd", 0x00020000u, 0u, 0u, false, true, "drivers/usb/isp1760/isp1760-hcd.c:2529" },
	/* SLAB_TEMPORARY; size sizeof(struct urb_listitem) */
	{ "isp1760_urb_listitem", 0x00020000u, 0u, 0u, false, true, "drivers/usb/isp1760/isp1760-hcd.c:2523" },
	/* 0; size sizeof(struct jbd2_inode); align __alignof__(struct jbd2_inode) (unresolved) */
	{ "jbd2_inode", 0x00000000u, 0u, 0u, false, true, "fs/jbd2/journal.c:3109" },
	/* SLAB_TEMPORARY; size sizeof(struct jbd2_journal_handle); align __alignof__(struct jbd2_journal_handle) (unresolved) */
	{ "jbd2_journal_handle", 0x00020000u, 0u, 0u, false, true, "fs/jbd2/journal.c:3120" },
	/* SLAB_TEMPORARY|SLAB_TYPESAFE_BY_RCU; size sizeof(struct journal_head) */
	{ "jbd2_journal_head", 0x000a0000u, 0u, 0u, false, true, "fs/jbd2/journal.c:2839" },
	/* SLAB_HWCACHE_ALIGN|SLAB_TEMPORARY; size sizeof(struct jbd2_revoke_record_s); align __alignof__(struct jbd2_revoke_record_s) (unresolved) */
	{ "jbd2_revoke_record_s", 0x00022000u, 0u, 0u, false, true, "fs/jbd2/revoke.c:196" },
	/* SLAB_TEMPORARY; size sizeof(struct jbd2_revoke_table_s); align __alignof__(struct jbd2_revoke_table_s) (unresolved) */
	{ "jbd2_revoke_table_s", 0x00020000u, 0u, 0u, false, true, "fs/jbd2/revoke.c:209" },
	/* SLAB_HWCACHE_ALIGN|SLAB_TEMPORARY; size sizeof(transaction_t) */
	{ "jbd2_transaction_s", 0x00022000u, 0u, 0u, false, true, "fs/jbd2/transaction.c:40" },
	/* 0; size sizeof(struct jffs2_full_dnode); align __alignof__(struct jffs2_full_dnode) (unresolved) */
	{ "jffs2_full_dnode", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:36" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct jffs2_inode_info); ctor jffs2_i_init_once */
	{ "jffs2_i", 0x04020000u, 0u, 0u, true, true, "fs/jffs2/super.c:388" },
	/* 0; size sizeof(struct jffs2_inode_cache); align __alignof__(struct jffs2_inode_cache) (unresolved) */
	{ "jffs2_inode_cache", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:62" },
	/* 0; size sizeof(struct jffs2_node_frag); align __alignof__(struct jffs2_node_frag) (unresolved) */
	{ "jffs2_node_frag", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:58" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct jffs2_raw_dirent); align __alignof__(struct jffs2_raw_dirent) (unresolved) */
	{ "jffs2_raw_dirent", 0x00002000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:40" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct jffs2_raw_inode); align __alignof__(struct jffs2_raw_inode) (unresolved) */
	{ "jffs2_raw_inode", 0x00002000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:44" },
	/* 0; size sizeof(struct jffs2_raw_node_ref) * (REFS_PER_BLOCK + 1) */
	{ "jffs2_refblock", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:52" },
	/* 0; size sizeof(struct jffs2_tmp_dnode_info); align __alignof__(struct jffs2_tmp_dnode_info) (unresolved) */
	{ "jffs2_tmp_dnode_info", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:48" },
	/* 0; size sizeof(struct jffs2_xattr_datum); align __alignof__(struct jffs2_xattr_datum) (unresolved) */
	{ "jffs2_xattr_datum", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:67" },
	/* 0; size sizeof(struct jffs2_xattr_ref); align __alignof__(struct jffs2_xattr_ref) (unresolved) */
	{ "jffs2_xattr_ref", 0x00000000u, 0u, 0u, false, true, "fs/jffs2/malloc.c:71" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct jfs_inode_info); ctor init_once */
	{ "jfs_ip", 0x04020000u, 0u, 0u, true, true, "fs/jfs/super.c:935" },
	/* 0; size sizeof(struct metapage) */
	{ "jfs_mp", 0x00000000u, 0u, 0u, false, true, "fs/jfs/jfs_metapage.c:205" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct kcm_mux); align __alignof__(struct kcm_mux) (unresolved) */
	{ "kcm_mux", 0x00002000u, 0u, 0u, false, true, "net/kcm/kcmsock.c:1900" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct kcm_psock); align __alignof__(struct kcm_psock) (unresolved) */
	{ "kcm_psock", 0x00002000u, 0u, 0u, false, true, "net/kcm/kcmsock.c:1904" },
	/* 0; size sizeof(struct kcopyd_job) * (SPLIT_COUNT + 1); align __alignof__(struct kcopyd_job) (unresolved) */
	{ "kcopyd_job", 0x00000000u, 0u, 0u, false, true, "drivers/md/dm-kcopyd.c:395" },
	/* SLAB_PANIC; size sizeof(struct kernfs_iattrs) */
	{ "kernfs_iattrs_cache", 0x00040000u, 0u, 0u, false, true, "fs/kernfs/mount.c:429" },
	/* SLAB_PANIC; size sizeof(struct kernfs_node) */
	{ "kernfs_node_cache", 0x00040000u, 0u, 0u, false, true, "fs/kernfs/mount.c:424" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct key) */
	{ "key_jar", 0x00042000u, 0u, 0u, false, true, "security/keys/key.c:1283" },
	/* 0; size sizeof(struct khugepaged_mm_slot); align __alignof__(struct khugepaged_mm_slot) (unresolved) */
	{ "khugepaged_mm_slot", 0x00000000u, 0u, 0u, false, true, "mm/khugepaged.c:390" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct kioctx); align __alignof__(struct kioctx) (unresolved) */
	{ "kioctx", 0x00042000u, 0u, 0u, false, true, "fs/aio.c:302" },
	/* SLAB_NOLEAKTRACE; size sizeof(struct kmemleak_object); align __alignof__(struct kmemleak_object) (unresolved) */
	{ "kmemleak_object", 0x00800000u, 0u, 0u, false, true, "mm/kmemleak.c:2299" },
	/* SLAB_NOLEAKTRACE; size sizeof(struct kmemleak_scan_area); align __alignof__(struct kmemleak_scan_area) (unresolved) */
	{ "kmemleak_scan_area", 0x00800000u, 0u, 0u, false, true, "mm/kmemleak.c:2300" },
	/* 0; size sizeof(struct ksm_mm_slot); align __alignof__(struct ksm_mm_slot) (unresolved) */
	{ "ksm_mm_slot", 0x00000000u, 0u, 0u, false, true, "mm/ksm.c:502" },
	/* 0; size sizeof(struct ksm_rmap_item); align __alignof__(struct ksm_rmap_item) (unresolved) */
	{ "ksm_rmap_item", 0x00000000u, 0u, 0u, false, true, "mm/ksm.c:494" },
	/* 0; size sizeof(struct ksm_stable_node); align __alignof__(struct ksm_stable_node) (unresolved) */
	{ "ksm_stable_node", 0x00000000u, 0u, 0u, false, true, "mm/ksm.c:498" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ksmbd_file) */
	{ "ksmbd_file_cache", 0x00002000u, 0u, 0u, false, true, "fs/smb/server/vfs_cache.c:1490" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ksmbd_work) */
	{ "ksmbd_work_cache", 0x00002000u, 0u, 0u, false, true, "fs/smb/server/ksmbd_work.c:71" },
	/* 0; size sizeof(struct kvm_async_pf); align __alignof__(struct kvm_async_pf) (unresolved) */
	{ "kvm_async_pf", 0x00000000u, 0u, 0u, false, true, "virt/kvm/async_pf.c:24" },
	/* SLAB_ACCOUNT; size sizeof(struct kvm_mmu_page) */
	{ "kvm_mmu_page_header", 0x04000000u, 0u, 0u, false, true, "arch/x86/kvm/mmu/mmu.c:7422" },
	/* SLAB_ACCOUNT; size vcpu_size; align vcpu_align (unresolved) */
	{ "kvm_vcpu", 0x04000000u, 0u, 0u, false, true, "virt/kvm/kvm_main.c:6530" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct fc_exch) */
	{ "libfc_em", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/libfc/fc_exch.c:2674" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct fc_fcp_pkt) */
	{ "libfc_fcp_pkt", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/libfc/fc_fcp.c:2265" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct lima_fence) */
	{ "lima_fence", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/lima/lima_sched.c:31" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct lima_sched_task) + frame_size */
	{ "lima_gp_task", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/lima/lima_gp.c:359" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct lima_sched_task) + frame_size */
	{ "lima_pp_task", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/lima/lima_pp.c:475" },
	/* 0; size sizeof(struct iscsi_datain_req); align __alignof__(struct iscsi_datain_req) (unresolved) */
	{ "lio_dr_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/iscsi/iscsi_target.c:719" },
	/* 0; size sizeof(struct iscsi_ooo_cmdsn); align __alignof__(struct iscsi_ooo_cmdsn) (unresolved) */
	{ "lio_ooo_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/iscsi/iscsi_target.c:728" },
	/* 0; size sizeof(struct iscsi_queue_req); align __alignof__(struct iscsi_queue_req) (unresolved) */
	{ "lio_qr_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/iscsi/iscsi_target.c:710" },
	/* 0; size sizeof(struct iscsi_r2t); align __alignof__(struct iscsi_r2t) (unresolved) */
	{ "lio_r2t_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/iscsi/iscsi_target.c:737" },
	/* 0; ctor ctor_a */
	{ "lkdtm-heap-a", 0x00000000u, 0u, 64u, true, true, "drivers/misc/lkdtm/heap.c:373" },
	/* 0; ctor ctor_b */
	{ "lkdtm-heap-b", 0x00000000u, 0u, 64u, true, true, "drivers/misc/lkdtm/heap.c:374" },
	/* 0; ctor ctor_double_free */
	{ "lkdtm-heap-double_free", 0x00000000u, 0u, 64u, true, true, "drivers/misc/lkdtm/heap.c:371" },
	/* 0; size cache_size */
	{ "lkdtm-usercopy", 0x00000000u, 0u, 0u, false, true, "drivers/misc/lkdtm/usercopy.c:429" },
	/* SLAB_PANIC; size blob_sizes.lbs_backing_file */
	{ "lsm_backing_file_cache", 0x00040000u, 0u, 0u, false, true, "security/security.c:496" },
	/* SLAB_PANIC; size blob_sizes.lbs_file */
	{ "lsm_file_cache", 0x00040000u, 0u, 0u, false, true, "security/security.c:492" },
	/* SLAB_PANIC; size blob_sizes.lbs_inode */
	{ "lsm_inode_cache", 0x00040000u, 0u, 0u, false, true, "security/security.c:501" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct maple_buffer); align __alignof__(struct maple_buffer) (unresolved) */
	{ "maple_buffer", 0x00002000u, 0u, 0u, false, true, "drivers/sh/maple/maple.c:828" },
	/* SLAB_PANIC; size sizeof(struct maple_node); align sizeof(struct maple_node) (unresolved) */
	{ "maple_node", 0x00040000u, 0u, 0u, false, true, "lib/maple_tree.c:6313" },
	/* 0; size (MAU_NUM_ENTRIES * MAU_ENTRY_SIZE) */
	{ "mau_queue", 0x00000000u, 64u, 0u, false, true, "drivers/crypto/n2_core.c:1550" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct mb_cache_entry); align __alignof__(struct mb_cache_entry) (unresolved) */
	{ "mb_cache_entry", 0x00020000u, 0u, 0u, false, true, "fs/mbcache.c:430" },
	/* 0; size sizeof(struct rmc_entry) */
	{ "mesh_rmc", 0x00000000u, 0u, 0u, false, true, "net/mac80211/mesh.c:28" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct mfc6_cache); align __alignof__(struct mfc6_cache) (unresolved) */
	{ "mfc6_cache", 0x04002000u, 0u, 0u, false, true, "net/ipv6/ip6mr.c:1391" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct mfc_cache); align __alignof__(struct mfc_cache) (unresolved) */
	{ "mfc_cache", 0x04042000u, 0u, 0u, false, true, "net/ipv4/ipmr.c:3183" },
	/* 0; size sizeof(struct mhi_ring_element) */
	{ "mhi_ep_event_ring_el", 0x00000000u, 0u, 0u, false, true, "drivers/bus/mhi/ep/main.c:1475" },
	/* 0; size sizeof(struct mhi_ep_ring_item) */
	{ "mhi_ep_ring_item", 0x00000000u, 0u, 0u, false, true, "drivers/bus/mhi/ep/main.c:1490" },
	/* 0; size MHI_EP_DEFAULT_MTU */
	{ "mhi_ep_tre_buf", 0x00000000u, 0u, 0u, false, true, "drivers/bus/mhi/ep/main.c:1483" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct minix_inode_info); ctor init_once */
	{ "minix_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/minix/inode.c:87" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct mlx5dr_icm_chunk) */
	{ "mlx5_dr_chunks", 0x00002000u, 0u, 0u, false, true, "drivers/net/ethernet/mellanox/mlx5/core/steering/dr_domain.c:103" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct mlx5dr_ste_htbl) */
	{ "mlx5_dr_htbls", 0x00002000u, 0u, 0u, false, true, "drivers/net/ethernet/mellanox/mlx5/core/steering/dr_domain.c:111" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size mm_size */
	{ "mm_struct", 0x04042000u, 0u, 0u, false, true, "kernel/fork.c:3205" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct mount) */
	{ "mnt_cache", 0x04042000u, 0u, 0u, false, true, "fs/namespace.c:5701" },
	/* SLAB_TYPESAFE_BY_RCU|SLAB_HWCACHE_ALIGN; size sizeof(struct mock_fence); align __alignof__(struct mock_fence) (unresolved); also created at drivers/dma-buf/st-dma-fence.c:586 */
	{ "mock_fence", 0x00082000u, 0u, 0u, false, true, "drivers/dma-buf/st-dma-fence-chain.c:696" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct mqueue_inode_info); ctor init_once */
	{ "mqueue_inode_cache", 0x04002000u, 0u, 0u, true, true, "ipc/mqueue.c:1724" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size PATH_MAX */
	{ "names_cache", 0x00042000u, 0u, 0u, false, true, "fs/dcache.c:3200" },
	/* 0; size ns->geom.pgszoob */
	{ "nandsim", 0x00000000u, 0u, 0u, false, true, "drivers/mtd/nand/raw/nandsim.c:589" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct net_bridge_fdb_entry); align __alignof__(struct net_bridge_fdb_entry) (unresolved) */
	{ "net_bridge_fdb_entry", 0x00002000u, 0u, 0u, false, true, "net/bridge/br_fdb.c:38" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct net); align SMP_CACHE_BYTES (unresolved) */
	{ "net_namespace", 0x04040000u, 0u, 0u, false, true, "net/core/net_namespace.c:1227" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct netfs_io_request) */
	{ "netfs_request", 0x04002000u, 0u, 0u, false, true, "fs/netfs/main.c:112" },
	/* SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT; size sizeof(struct netfs_io_subrequest) */
	{ "netfs_subrequest", 0x04002000u, 0u, 0u, false, true, "fs/netfs/main.c:122" },
	/* 0; size sizeof(struct nf_conncount_rb); align __alignof__(struct nf_conncount_rb) (unresolved) */
	{ "nf_conncount_rb", 0x00000000u, 0u, 0u, false, true, "net/netfilter/nf_conncount.c:698" },
	/* 0; size sizeof(struct nf_conncount_tuple); align __alignof__(struct nf_conncount_tuple) (unresolved) */
	{ "nf_conncount_tuple", 0x00000000u, 0u, 0u, false, true, "net/netfilter/nf_conncount.c:694" },
	/* SLAB_TYPESAFE_BY_RCU|SLAB_HWCACHE_ALIGN; size sizeof(struct nf_conn); align NFCT_INFOMASK + 1 (unresolved) */
	{ "nf_conntrack", 0x00082000u, 0u, 0u, false, true, "net/netfilter/nf_conntrack_core.c:2662" },
	/* 0; size sizeof(struct nf_conntrack_expect); align __alignof__(struct nf_conntrack_expect) (unresolved) */
	{ "nf_conntrack_expect", 0x00000000u, 0u, 0u, false, true, "net/netfilter/nf_conntrack_expect.c:787" },
	/* 0; size sizeof(struct nfs4_client); align __alignof__(struct nfs4_client) (unresolved) */
	{ "nfs4_client", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4830" },
	/* 0; size sizeof(struct nfs4_clnt_odstate); align __alignof__(struct nfs4_clnt_odstate) (unresolved) */
	{ "nfs4_clnt_odstate", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4848" },
	/* 0; size sizeof(struct nfs4_delegation); align __alignof__(struct nfs4_delegation) (unresolved) */
	{ "nfs4_delegation", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4845" },
	/* 0; size sizeof(struct nfs4_file); align __alignof__(struct nfs4_file) (unresolved) */
	{ "nfs4_file", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4839" },
	/* 0; size sizeof(struct nfs4_layout); align __alignof__(struct nfs4_layout) (unresolved) */
	{ "nfs4_layout", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4layouts.c:785" },
	/* 0; size sizeof(struct nfs4_layout_stateid); align __alignof__(struct nfs4_layout_stateid) (unresolved) */
	{ "nfs4_layout_stateid", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4layouts.c:789" },
	/* 0; size sizeof(struct nfs4_lockowner); align __alignof__(struct nfs4_lockowner) (unresolved) */
	{ "nfs4_lockowner", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4836" },
	/* 0; size sizeof(struct nfs4_ol_stateid); align __alignof__(struct nfs4_ol_stateid) (unresolved) */
	{ "nfs4_ol_stateid", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4842" },
	/* 0; size sizeof(struct nfs4_openowner); align __alignof__(struct nfs4_openowner) (unresolved) */
	{ "nfs4_openowner", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfs4state.c:4833" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nfs4_xattr_cache); ctor nfs4_xattr_cache_init_once */
	{ "nfs4_xattr_cache_cache", 0x00020000u, 0u, 0u, true, true, "fs/nfs/nfs42xattr.c:1018" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct nfs_commit_data) */
	{ "nfs_commit_data", 0x00002000u, 0u, 0u, false, true, "fs/nfs/write.c:2184" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nfs_direct_req) */
	{ "nfs_direct_cache", 0x00020000u, 0u, 0u, false, true, "fs/nfs/direct.c:1087" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct nfs_inode); ctor init_once */
	{ "nfs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/nfs/inode.c:2518" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct nfs_page) */
	{ "nfs_page", 0x00002000u, 0u, 0u, false, true, "fs/nfs/pagelist.c:1467" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct nfs_pgio_header) */
	{ "nfs_read_data", 0x00002000u, 0u, 0u, false, true, "fs/nfs/read.c:478" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct nfs_pgio_header) */
	{ "nfs_write_data", 0x00002000u, 0u, 0u, false, true, "fs/nfs/write.c:2172" },
	/* 0; size sizeof(struct nfsd_cacherep); align __alignof__(struct nfsd_cacherep) (unresolved) */
	{ "nfsd_cacherep", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/nfscache.c:169" },
	/* 0; size sizeof(struct nfsd_file); align __alignof__(struct nfsd_file) (unresolved) */
	{ "nfsd_file", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/filecache.c:788" },
	/* 0; size sizeof(struct nfsd_file_mark); align __alignof__(struct nfsd_file_mark) (unresolved) */
	{ "nfsd_file_mark", 0x00000000u, 0u, 0u, false, true, "fs/nfsd/filecache.c:794" },
	/* 0; size sizeof(struct nilfs_btree_path) * NILFS_BTREE_LEVEL_MAX */
	{ "nilfs2_btree_path_cache", 0x00000000u, 0u, 0u, false, true, "fs/nilfs2/super.c:1357" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct nilfs_inode_info); ctor nilfs_inode_init_once */
	{ "nilfs2_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/nilfs2/super.c:1338" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nilfs_segment_buffer); ctor nilfs_segbuf_init_once */
	{ "nilfs2_segbuf_cache", 0x00020000u, 0u, 0u, true, true, "fs/nilfs2/super.c:1351" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct nilfs_transaction_info) */
	{ "nilfs2_transaction_cache", 0x00020000u, 0u, 0u, false, true, "fs/nilfs2/super.c:1345" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct nsproxy); align __alignof__(struct nsproxy) (unresolved) */
	{ "nsproxy", 0x04040000u, 0u, 0u, false, true, "kernel/nsproxy.c:588" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct e_node) */
	{ "ntfs3_enode_cache", 0x00020000u, 0u, 0u, false, true, "fs/ntfs3/bitmap.c:43" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ntfs_inode); ctor init_once */
	{ "ntfs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/ntfs3/super.c:1917" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct mempolicy) */
	{ "numa_policy", 0x04040000u, 0u, 0u, false, true, "mm/mempolicy.c:3099" },
	/* SLAB_HWCACHE_ALIGN */
	{ "nvme-chap-buf-cache", 0x00002000u, 0u, 4096u, false, true, "drivers/nvme/host/auth.c:1031" },
	/* SLAB_HWCACHE_ALIGN; size NVMET_MAX_MPOOL_BVEC * sizeof(struct bio_vec) */
	{ "nvmet-bvec", 0x00002000u, 0u, 0u, false, true, "drivers/nvme/target/core.c:1743" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct dlm_lock) */
	{ "o2dlm_lock", 0x00002000u, 0u, 0u, false, true, "fs/ocfs2/dlm/dlmlock.c:53" },
	/* SLAB_HWCACHE_ALIGN */
	{ "o2dlm_lockname", 0x00002000u, 0u, 32u, false, true, "fs/ocfs2/dlm/dlmmaster.c:443" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct dlm_lock_resource) */
	{ "o2dlm_lockres", 0x00002000u, 0u, 0u, false, true, "fs/ocfs2/dlm/dlmmaster.c:437" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct dlm_master_list_entry) */
	{ "o2dlm_mle", 0x00002000u, 0u, 0u, false, true, "fs/ocfs2/dlm/dlmmaster.c:389" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT; size sizeof(struct ocfs2_dquot) */
	{ "ocfs2_dquot_cache", 0x00022000u, 0u, 0u, false, true, "fs/ocfs2/super.c:1720" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ocfs2_inode_info); ctor ocfs2_inode_init_once */
	{ "ocfs2_inode_cache", 0x04022000u, 0u, 0u, true, true, "fs/ocfs2/super.c:1714" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct ocfs2_quota_chunk) */
	{ "ocfs2_qf_chunk_cache", 0x00020000u, 0u, 0u, false, true, "fs/ocfs2/super.c:1725" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ocfs2_meta_cache_item) */
	{ "ocfs2_uptodate", 0x00002000u, 0u, 0u, false, true, "fs/ocfs2/uptodate.c:609" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct op_inode_info); ctor op_inode_init_once */
	{ "op_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/openpromfs/inode.c:445" },
	/* 0; size sizeof(struct orangefs_inode_s); ctor orangefs_inode_cache_ctor */
	{ "orangefs_inode_cache", 0x00000000u, 0u, 0u, true, true, "fs/orangefs/super.c:639" },
	/* 0; size sizeof(struct orangefs_kernel_op_s) */
	{ "orangefs_op_cache", 0x00000000u, 0u, 0u, false, true, "fs/orangefs/orangefs-cache.c:22" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ovl_inode); ctor ovl_inode_init_once */
	{ "ovl_inode", 0x04020000u, 0u, 0u, true, true, "fs/overlayfs/super.c:1510" },
	/* SLAB_TYPESAFE_BY_RCU; size sizeof(struct p9_req_t); align __alignof__(struct p9_req_t) (unresolved) */
	{ "p9_req_t", 0x00080000u, 0u, 0u, false, true, "net/9p/client.c:2322" },
	/* 0; size sizeof(struct fwnet_packet_task) */
	{ "packet_task", 0x00000000u, 0u, 0u, false, true, "drivers/firewire/net.c:1675" },
	/* SLAB_PANIC; size sizeof(spinlock_t) */
	{ "page->ptl", 0x00040000u, 0u, 0u, false, true, "mm/memory.c:6984" },
	/* 0; size SZ_4K; align SZ_4K (unresolved) */
	{ "panthor-mmu-pt", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/drm/panthor/panthor_mmu.c:2838" },
	/* SLAB_ACCOUNT|SLAB_PANIC; size sizeof(struct pde_opener) */
	{ "pde_opener", 0x04040000u, 0u, 0u, false, true, "fs/proc/inode.c:99" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct pending_reservation); align __alignof__(struct pending_reservation) (unresolved) */
	{ "pending_reservation", 0x00020000u, 0u, 0u, false, true, "fs/ext4/extents_status.c:1907" },
	/* SLAB_PANIC; size sizeof(struct perf_event); align __alignof__(struct perf_event) (unresolved) */
	{ "perf_event", 0x00040000u, 0u, 0u, false, true, "kernel/events/core.c:14234" },
	/* SLAB_PANIC; size PGD_SIZE */
	{ "pgd_cache", 0x00040000u, 32u, 0u, false, true, "arch/x86/mm/pgtable.c:391" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size struct_size_t(struct pid, numbers, 1); align __alignof__(struct pid) (unresolved) */
	{ "pid", 0x04042000u, 0u, 0u, false, true, "kernel/pid.c:661" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct pid_namespace); align __alignof__(struct pid_namespace) (unresolved) */
	{ "pid_namespace", 0x04040000u, 0u, 0u, false, true, "kernel/pid_namespace.c:451" },
	/* SLAB_PANIC; size sizeof(struct pool_workqueue); align __alignof__(struct pool_workqueue) (unresolved) */
	{ "pool_workqueue", 0x00040000u, 0u, 0u, false, true, "kernel/workqueue.c:7813" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct k_itimer) */
	{ "posix_timers_cache", 0x04040000u, 0u, 0u, false, true, "kernel/time/posix-timers.c:226" },
	/* 0; size sizeof(struct ppl_io_unit); align __alignof__(struct ppl_io_unit) (unresolved) */
	{ "ppl_io_unit", 0x00000000u, 0u, 0u, false, true, "drivers/md/raid5-ppl.c:1363" },
	/* SLAB_PANIC; size SIZEOF_PDE */
	{ "proc_dir_entry", 0x00040000u, 0u, 0u, false, true, "fs/proc/inode.c:101" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT|SLAB_PANIC; size sizeof(struct proc_inode); ctor init_once */
	{ "proc_inode_cache", 0x04060000u, 0u, 0u, true, true, "fs/proc/inode.c:92" },
	/* SLAB_ACCOUNT; size sizeof(struct pte_list_desc); align __alignof__(struct pte_list_desc) (unresolved) */
	{ "pte_list_desc", 0x04000000u, 0u, 0u, false, true, "arch/x86/kvm/mmu/mmu.c:7418" },
	/* 0; size sizeof(struct qdio_q) */
	{ "qdio_q", 0x00000000u, 256u, 0u, false, true, "drivers/s390/cio/qdio_setup.c:419" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct qedf_io_work) */
	{ "qedf_io_work_cache", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/qedf/qedf_main.c:4150" },
	/* 0; size sizeof(struct qeth_qdio_out_buffer) */
	{ "qeth_buf", 0x00000000u, 0u, 0u, false, true, "drivers/s390/net/qeth_core_main.c:7127" },
	/* 0; size QETH_HDR_CACHE_OBJ_SIZE; align roundup_pow_of_two(QETH_HDR_CACHE_OBJ_SIZE) (unresolved) */
	{ "qeth_hdr", 0x00000000u, 0u, 0u, false, true, "drivers/s390/net/qeth_core_main.c:7120" },
	/* 0; size sizeof(struct qaob); align sizeof(struct qaob) (unresolved) */
	{ "qeth_qaob", 0x00000000u, 0u, 0u, false, true, "drivers/s390/net/qeth_core_main.c:7134" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct ct6_dsd) */
	{ "qla2xxx_ctx", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/qla2xxx/qla_os.c:4198" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(srb_t) */
	{ "qla2xxx_srbs", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/qla2xxx/qla_os.c:8281" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct srb) */
	{ "qla4xxx_srbs", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/qla4xxx/ql4_os.c:9910" },
	/* 0; size sizeof(struct qla_tgt_mgmt_cmd); align __alignof__(struct qla_tgt_mgmt_cmd) (unresolved) */
	{ "qla_tgt_mgmt_cmd_cachep", 0x00000000u, 0u, 0u, false, true, "drivers/scsi/qla2xxx/qla_target.c:7271" },
	/* 0; size sizeof(struct qlt_plogi_ack_t); align __alignof__(struct qlt_plogi_ack_t) (unresolved) */
	{ "qla_tgt_plogi_cachep", 0x00000000u, 0u, 0u, false, true, "drivers/scsi/qla2xxx/qla_target.c:7280" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct qnx4_inode_info); ctor init_once */
	{ "qnx4_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/qnx4/inode.c:379" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct qnx6_inode_info); ctor init_once */
	{ "qnx6_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/qnx6/inode.c:607" },
	/* 0; size sizeof(struct r5l_io_unit); align __alignof__(struct r5l_io_unit) (unresolved) */
	{ "r5l_io_unit", 0x00000000u, 0u, 0u, false, true, "drivers/md/raid5-cache.c:3127" },
	/* SLAB_PANIC|SLAB_RECLAIM_ACCOUNT; size sizeof(struct radix_tree_node); ctor radix_tree_node_ctor */
	{ "radix_tree_node", 0x00060000u, 0u, 0u, true, true, "lib/radix-tree.c:1601" },
	/* 0; size sizeof(struct ratelimiter_entry); align __alignof__(struct ratelimiter_entry) (unresolved) */
	{ "ratelimiter_entry", 0x00000000u, 0u, 0u, false, true, "drivers/net/wireguard/ratelimiter.c:164" },
	/* 0; size sizeof(struct rbd_img_request); align __alignof__(struct rbd_img_request) (unresolved) */
	{ "rbd_img_request", 0x00000000u, 0u, 0u, false, true, "drivers/block/rbd.c:7356" },
	/* 0; size sizeof(struct rbd_obj_request); align __alignof__(struct rbd_obj_request) (unresolved) */
	{ "rbd_obj_request", 0x00000000u, 0u, 0u, false, true, "drivers/block/rbd.c:7361" },
	/* SLAB_STORE_USER */
	{ "rcuscale", 0x00010000u, 8u, 136u, false, true, "kernel/rcu/rcutorture.c:2334" },
	/* 0; size sizeof(struct rds_connection); align __alignof__(struct rds_connection) (unresolved) */
	{ "rds_connection", 0x00000000u, 0u, 0u, false, true, "net/rds/connection.c:916" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct rds_page_frag) */
	{ "rds_ib_frag", 0x00002000u, 0u, 0u, false, true, "net/rds/ib_recv.c:1089" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct rds_ib_incoming) */
	{ "rds_ib_incoming", 0x00002000u, 0u, 0u, false, true, "net/rds/ib_recv.c:1079" },
	/* 0; size sizeof(struct rds_tcp_connection); align __alignof__(struct rds_tcp_connection) (unresolved) */
	{ "rds_tcp_connection", 0x00000000u, 0u, 0u, false, true, "net/rds/tcp.c:822" },
	/* 0; size sizeof(struct rds_tcp_incoming); align __alignof__(struct rds_tcp_incoming) (unresolved) */
	{ "rds_tcp_incoming", 0x00000000u, 0u, 0u, false, true, "net/rds/tcp_recv.c:340" },
	/* SLAB_TYPESAFE_BY_RCU; size sizeof(struct refscale_typesafe); align sizeof(void *) (unresolved); ctor refscale_typesafe_ctor */
	{ "refscale_typesafe", 0x00080000u, 0u, 0u, true, true, "kernel/rcu/refscale.c:719" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct reiserfs_inode_info); ctor init_once */
	{ "reiser_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/reiserfs/super.c:669" },
	/* SLAB_PANIC; size sizeof(struct request_queue); align __alignof__(struct request_queue) (unresolved) */
	{ "request_queue", 0x00040000u, 0u, 0u, false, true, "block/blk-core.c:1273" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size rsk_prot->obj_size; struct proto dccp_v4_prot via proto_register() net/core/sock.c:4079 */
	{ "request_sock_DCCP", 0x04080000u, 0u, 0u, false, true, "net/dccp/ipv4.c:963" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size rsk_prot->obj_size; struct proto dccp_v6_prot via proto_register() net/core/sock.c:4079 */
	{ "request_sock_DCCPv6", 0x04080000u, 0u, 0u, false, true, "net/dccp/ipv6.c:1045" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size rsk_prot->obj_size; struct proto tcp_prot via proto_register() net/core/sock.c:4079 */
	{ "request_sock_TCP", 0x04080000u, 0u, 0u, false, true, "net/ipv4/tcp_ipv4.c:3489" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size rsk_prot->obj_size; struct proto tcpv6_prot via proto_register() net/core/sock.c:4079 */
	{ "request_sock_TCPv6", 0x04080000u, 0u, 0u, false, true, "net/ipv6/tcp_ipv6.c:2305" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct romfs_inode_info); ctor romfs_i_init_once */
	{ "romfs_i", 0x04020000u, 0u, 0u, true, true, "fs/romfs/super.c:632" },
	/* SLAB_HWCACHE_ALIGN */
	{ "rpc_buffers", 0x00002000u, 0u, 2048u, false, true, "net/sunrpc/sched.c:1343" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct rpc_inode); ctor init_once */
	{ "rpc_inode_cache", 0x04022000u, 0u, 0u, true, true, "net/sunrpc/rpc_pipe.c:1485" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct rpc_task) */
	{ "rpc_tasks", 0x00002000u, 0u, 0u, false, true, "net/sunrpc/sched.c:1337" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct rtable); align __alignof__(struct rtable) (unresolved) */
	{ "rtable", 0x00042000u, 0u, 0u, false, true, "net/ipv4/route.c:3741" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct rxrpc_call) */
	{ "rxrpc_call_jar", 0x00002000u, 0u, 0u, false, true, "net/rxrpc/af_rxrpc.c:1035" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct sas_task); align __alignof__(struct sas_task) (unresolved) */
	{ "sas_task", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/libsas/sas_init.c:683" },
	/* SLAB_HWCACHE_ALIGN; size SCSI_SENSE_BUFFERSIZE */
	{ "scsi_sense_cache", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/scsi_lib.c:68" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct sctp_bind_bucket); align __alignof__(struct sctp_bind_bucket) (unresolved) */
	{ "sctp_bind_bucket", 0x00002000u, 0u, 0u, false, true, "net/sctp/protocol.c:1513" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct sctp_chunk); align __alignof__(struct sctp_chunk) (unresolved) */
	{ "sctp_chunk", 0x00002000u, 0u, 0u, false, true, "net/sctp/protocol.c:1517" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct sdebug_queued_cmd); align __alignof__(struct sdebug_queued_cmd) (unresolved) */
	{ "sdebug_queued_cmd", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/scsi_debug.c:7959" },
	/* 0; size sizeof(struct se_session); align __alignof__(struct se_session) (unresolved) */
	{ "se_sess_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:62" },
	/* 0; size sizeof(struct se_ua); align __alignof__(struct se_ua) (unresolved) */
	{ "se_ua_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:70" },
	/* 0; size sizeof(struct search); align __alignof__(struct search) (unresolved) */
	{ "search", 0x00000000u, 0u, 0u, false, true, "drivers/md/bcache/request.c:1346" },
	/* SLAB_ACCOUNT|SLAB_PANIC; size sizeof(struct seq_file); align __alignof__(struct seq_file) (unresolved) */
	{ "seq_file", 0x04040000u, 0u, 0u, false, true, "fs/seq_file.c:1142" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct sp_node) */
	{ "shared_policy_node", 0x04040000u, 0u, 0u, false, true, "mm/mempolicy.c:3103" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct shmem_inode_info); ctor shmem_init_inode */
	{ "shmem_inode_cache", 0x04040000u, 0u, 0u, true, true, "mm/shmem.c:4899" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_TYPESAFE_BY_RCU|SLAB_ACCOUNT; size sizeof(struct sighand_struct); ctor sighand_ctor */
	{ "sighand_cache", 0x040c2000u, 0u, 0u, true, true, "kernel/fork.c:3215" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct signal_struct) */
	{ "signal_cache", 0x04042000u, 0u, 0u, false, true, "kernel/fork.c:3219" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct sigqueue); align __alignof__(struct sigqueue) (unresolved) */
	{ "sigqueue", 0x04040000u, 0u, 0u, false, true, "kernel/signal.c:4891" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size SKB_EXT_ALIGN_VALUE * skb_ext_total_length() */
	{ "skbuff_ext_cache", 0x00042000u, 0u, 0u, false, true, "net/core/skbuff.c:5128" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct sk_buff_fclones) */
	{ "skbuff_fclone_cache", 0x00042000u, 0u, 0u, false, true, "net/core/skbuff.c:5158" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_NO_MERGE; size sizeof(struct sk_buff) */
	{ "skbuff_head_cache", 0x01042000u, 0u, 0u, false, true, "net/core/skbuff.c:5150" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size SKB_SMALL_HEAD_CACHE_SIZE */
	{ "skbuff_small_head", 0x00042000u, 0u, 0u, false, true, "net/core/skbuff.c:5167" },
	/* 0; size sizeof(struct smack_rule); align __alignof__(struct smack_rule) (unresolved) */
	{ "smack_rule", 0x00000000u, 0u, 0u, false, true, "security/smack/smack_lsm.c:5347" },
	/* SLAB_HWCACHE_ALIGN; size len; align SNIC_SG_DESC_ALIGN (unresolved) */
	{ "snic_req_dfltsgl", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/snic/snic_main.c:852" },
	/* SLAB_HWCACHE_ALIGN; size len; align SNIC_SG_DESC_ALIGN (unresolved) */
	{ "snic_req_maxsgl", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/snic/snic_main.c:865" },
	/* SLAB_HWCACHE_ALIGN; size len; align SNIC_SG_DESC_ALIGN (unresolved) */
	{ "snic_req_tm", 0x00002000u, 0u, 0u, false, true, "drivers/scsi/snic/snic_main.c:876" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct socket_alloc); ctor init_once */
	{ "sock_inode_cache", 0x04022000u, 0u, 0u, true, true, "net/socket.c:341" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct squashfs_inode_info); ctor init_once */
	{ "squashfs_inode_cache", 0x04022000u, 0u, 0u, true, true, "fs/squashfs/super.c:621" },
	/* 0; size size; align align (unresolved) */
	{ "ssam_ctrl_packet", 0x00000000u, 0u, 0u, false, true, "drivers/platform/surface/aggregator/ssh_packet_layer.c:602" },
	/* 0; size size; align align (unresolved) */
	{ "ssam_event_item", 0x00000000u, 0u, 0u, false, true, "drivers/platform/surface/aggregator/controller.c:565" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct stub_priv); align __alignof__(struct stub_priv) (unresolved) */
	{ "stub_priv", 0x00002000u, 0u, 0u, false, true, "drivers/usb/usbip/stub_main.c:368" },
	/* 0; size sizeof(struct sw_flow) + (nr_cpu_ids * sizeof(struct sw_flow_stats *)) + cpumask_size() */
	{ "sw_flow", 0x00000000u, 0u, 0u, false, true, "net/openvswitch/flow_table.c:1197" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct sw_flow_stats) */
	{ "sw_flow_stats", 0x00002000u, 0u, 0u, false, true, "net/openvswitch/flow_table.c:1206" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct sysv_inode_info); ctor init_once */
	{ "sysv_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/sysv/inode.c:337" },
	/* 0; size sizeof(struct t10_alua_lba_map); align __alignof__(struct t10_alua_lba_map) (unresolved) */
	{ "t10_alua_lba_map_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:109" },
	/* 0; size sizeof(struct t10_alua_lba_map_member); align __alignof__(struct t10_alua_lba_map_member) (unresolved) */
	{ "t10_alua_lba_map_mem_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:118" },
	/* 0; size sizeof(struct t10_alua_lu_gp); align __alignof__(struct t10_alua_lu_gp) (unresolved) */
	{ "t10_alua_lu_gp_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:85" },
	/* 0; size sizeof(struct t10_alua_lu_gp_member); align __alignof__(struct t10_alua_lu_gp_member) (unresolved) */
	{ "t10_alua_lu_gp_mem_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:93" },
	/* 0; size sizeof(struct t10_alua_tg_pt_gp); align __alignof__(struct t10_alua_tg_pt_gp) (unresolved) */
	{ "t10_alua_tg_pt_gp_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:101" },
	/* 0; size sizeof(struct t10_pr_registration); align __alignof__(struct t10_pr_registration) (unresolved) */
	{ "t10_pr_reg_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_transport.c:77" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct task_delay_info); align __alignof__(struct task_delay_info) (unresolved) */
	{ "task_delay_info", 0x04040000u, 0u, 0u, false, true, "kernel/delayacct.c:41" },
	/* 0; size sizeof(struct task_group); align __alignof__(struct task_group) (unresolved) */
	{ "task_group", 0x00000000u, 0u, 0u, false, true, "kernel/sched/core.c:8500" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size arch_task_struct_size; align align (unresolved) */
	{ "task_struct", 0x04040000u, 0u, 0u, false, true, "kernel/fork.c:1076" },
	/* SLAB_PANIC; size sizeof(struct taskstats); align __alignof__(struct taskstats) (unresolved) */
	{ "taskstats", 0x00040000u, 0u, 0u, false, true, "kernel/taskstats.c:703" },
	/* 0; size sizeof(struct tcm_loop_cmd); align __alignof__(struct tcm_loop_cmd) (unresolved) */
	{ "tcm_loop_cmd_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/loopback/tcm_loop.c:1092" },
	/* 0; size sizeof(struct tcmu_cmd); align __alignof__(struct tcmu_cmd) (unresolved) */
	{ "tcmu_cmd_cache", 0x00000000u, 0u, 0u, false, true, "drivers/target/target_core_user.c:3324" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct inet_bind2_bucket) */
	{ "tcp_bind2_bucket", 0x04042000u, 0u, 0u, false, true, "net/ipv4/tcp.c:5118" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct inet_bind_bucket) */
	{ "tcp_bind_bucket", 0x04042000u, 0u, 0u, false, true, "net/ipv4/tcp.c:5112" },
	/* 0; unresolved flags: flags; size size; ctor ctor (unresolved) */
	{ "test", 0x00000000u, 1u, 0u, true, false, "mm/kfence/kfence_test.c:198" },
	/* 0; unresolved flags: want_rcu ? SLAB_TYPESAFE_BY_RCU : 0; size size; ctor want_ctor ? test_ctor : NULL (unresolved); also created at lib/test_meminit.c:300 (differs: flags 0x00080000 ctor no), lib/test_meminit.c:355 (differs: flags 0x00000000 ctor no), mm/kasan/kasan_test_c.c:933 (differs: flags 0x00000000 ctor no), mm/kasan/kasan_test_c.c:955 (differs: flags 0x00000000 ctor no), mm/kasan/kasan_test_c.c:976 (differs: flags 0x00080000 ctor no), mm/kasan/kasan_test_c.c:1007 (differs: flags 0x00080000 ctor no), mm/kasan/kasan_test_c.c:1051 (differs: flags 0x00000000 ctor yes), mm/kasan/kasan_test_c.c:1064 (differs: flags 0x04000000 ctor no), mm/kasan/kasan_test_c.c:1092 (differs: flags 0x00000000 ctor no), mm/kasan/kasan_test_c.c:1137 (differs: flags 0x00000000 ctor no) */
	{ "test_cache", 0x00000000u, 1u, 0u, true, false, "lib/test_meminit.c:226" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct tfrc_loss_interval) */
	{ "tfrc_li_hist", 0x00002000u, 0u, 0u, false, true, "net/dccp/ccids/lib/loss_interval.c:172" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct tfrc_rx_hist_entry) */
	{ "tfrc_rxh_cache", 0x00002000u, 0u, 0u, false, true, "net/dccp/ccids/lib/packet_history.c:83" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct tfrc_tx_hist_entry) */
	{ "tfrc_tx_hist", 0x00002000u, 0u, 0u, false, true, "net/dccp/ccids/lib/packet_history.c:35" },
	/* 0; size THREAD_SIZE; align THREAD_SIZE (unresolved) */
	{ "thread_stack", 0x00000000u, 0u, 0u, false, true, "kernel/fork.c:421" },
	/* SLAB_PANIC; size sizeof(struct trace_event_file); align __alignof__(struct trace_event_file) (unresolved) */
	{ "trace_event_file", 0x00040000u, 0u, 0u, false, true, "kernel/trace/trace_events.c:4266" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct tracefs_inode); ctor init_once */
	{ "tracefs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/tracefs/inode.c:824" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size twsk_prot->twsk_obj_size; struct proto dccp_v4_prot via proto_register() net/core/sock.c:4044 */
	{ "tw_sock_DCCP", 0x04080000u, 0u, 0u, false, true, "net/dccp/ipv4.c:963" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size twsk_prot->twsk_obj_size; struct proto dccp_v6_prot via proto_register() net/core/sock.c:4044 */
	{ "tw_sock_DCCPv6", 0x04080000u, 0u, 0u, false, true, "net/dccp/ipv6.c:1045" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size twsk_prot->twsk_obj_size; struct proto tcp_prot via proto_register() net/core/sock.c:4044 */
	{ "tw_sock_TCP", 0x04080000u, 0u, 0u, false, true, "net/ipv4/tcp_ipv4.c:3489" },
	/* SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU; size twsk_prot->twsk_obj_size; struct proto tcpv6_prot via proto_register() net/core/sock.c:4044 */
	{ "tw_sock_TCPv6", 0x04080000u, 0u, 0u, false, true, "net/ipv6/tcp_ipv6.c:2305" },
	/* 0; size sizeof(struct ubi_ainf_peb); via alloc_ai() drivers/mtd/ubi/attach.c:1464; also created at drivers/mtd/ubi/attach.c:1578 */
	{ "ubi_aeb_slab_cache", 0x00000000u, 0u, 0u, false, true, "drivers/mtd/ubi/attach.c:1560" },
	/* 0; size sizeof(struct ubi_ainf_peb); via alloc_ai() drivers/mtd/ubi/attach.c:1464 */
	{ "ubi_aeb_slab_cache_dbg_chk_fastmap", 0x00000000u, 0u, 0u, false, true, "drivers/mtd/ubi/attach.c:1617" },
	/* 0; size sizeof(struct ubi_ainf_peb); via alloc_ai() drivers/mtd/ubi/attach.c:1464 */
	{ "ubi_aeb_slab_cache_fastmap", 0x00000000u, 0u, 0u, false, true, "drivers/mtd/ubi/attach.c:1494" },
	/* 0; size sizeof(struct ubi_wl_entry) */
	{ "ubi_wl_entry_slab", 0x00000000u, 0u, 0u, false, true, "drivers/mtd/ubi/build.c:1358" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ubifs_inode); ctor &inode_slab_ctor */
	{ "ubifs_inode_slab", 0x04020000u, 0u, 0u, true, true, "fs/ubifs/super.c:2437" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct udf_inode_info); ctor init_once */
	{ "udf_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/udf/super.c:188" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct ufs_inode_info); ctor init_once */
	{ "ufs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/ufs/super.c:1472" },
	/* 0; size sizeof(struct urb_priv) */
	{ "uhci_urb_priv", 0x00000000u, 0u, 0u, false, true, "drivers/usb/host/uhci-hcd.c:879" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct user_struct) */
	{ "uid_cache", 0x00042000u, 0u, 0u, false, true, "kernel/user.c:249" },
	/* 0; size sizeof(struct user_event_enabler_fault); align __alignof__(struct user_event_enabler_fault) (unresolved) */
	{ "user_event_enabler_fault", 0x00000000u, 0u, 0u, false, true, "kernel/trace/trace_events_user.c:2958" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct user_namespace); align __alignof__(struct user_namespace) (unresolved) */
	{ "user_namespace", 0x04040000u, 0u, 0u, false, true, "kernel/user_namespace.c:1410" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct userfaultfd_ctx); ctor init_once_userfaultfd_ctx */
	{ "userfaultfd_ctx_cache", 0x00042000u, 0u, 0u, true, true, "fs/userfaultfd.c:2215" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct uts_namespace) */
	{ "uts_namespace", 0x04040000u, 0u, 0u, false, true, "kernel/utsname.c:171" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct v9fs_inode); ctor v9fs_inode_init_once */
	{ "v9fs_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/9p/v9fs.c:634" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct vboxsf_inode); ctor vboxsf_inode_init_once */
	{ "vboxsf_inode_cache", 0x04020000u, 0u, 0u, true, true, "fs/vboxsf/super.c:334" },
	/* SLAB_ACCOUNT; size sizeof(struct ccw_cmd_region) */
	{ "vfio_ccw_cmd_region", 0x04000000u, 0u, 0u, false, true, "drivers/s390/cio/vfio_ccw_drv.c:445" },
	/* SLAB_ACCOUNT; size sizeof(struct ccw_crw_region) */
	{ "vfio_ccw_crw_region", 0x04000000u, 0u, 0u, false, true, "drivers/s390/cio/vfio_ccw_drv.c:464" },
	/* SLAB_ACCOUNT; size sizeof(struct ccw_io_region) */
	{ "vfio_ccw_io_region", 0x04000000u, 0u, 0u, false, true, "drivers/s390/cio/vfio_ccw_drv.c:436" },
	/* SLAB_ACCOUNT; size sizeof(struct ccw_schib_region) */
	{ "vfio_ccw_schib_region", 0x04000000u, 0u, 0u, false, true, "drivers/s390/cio/vfio_ccw_drv.c:454" },
	/* 0; size VBUFFER_SIZE; align __alignof__(struct virtio_gpu_vbuffer) (unresolved) */
	{ "virtio-gpu-vbufs", 0x00000000u, 0u, 0u, false, true, "drivers/gpu/drm/virtio/virtgpu_vq.c:74" },
	/* 0; size sizeof(struct virtio_scsi_cmd); align __alignof__(struct virtio_scsi_cmd) (unresolved) */
	{ "virtio_scsi_cmd", 0x00000000u, 0u, 0u, false, true, "drivers/scsi/virtio_scsi.c:1062" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct vm_area_struct); align __alignof__(struct vm_area_struct) (unresolved) */
	{ "vm_area_struct", 0x04040000u, 0u, 0u, false, true, "kernel/fork.c:3232" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct vm_region); align __alignof__(struct vm_region) (unresolved) */
	{ "vm_region", 0x04040000u, 0u, 0u, false, true, "mm/nommu.c:404" },
	/* SLAB_PANIC|SLAB_ACCOUNT; size sizeof(struct vma_lock); align __alignof__(struct vma_lock) (unresolved) */
	{ "vma_lock", 0x04040000u, 0u, 0u, false, true, "kernel/fork.c:3234" },
	/* SLAB_PANIC; size sizeof(struct vmap_area); align __alignof__(struct vmap_area) (unresolved) */
	{ "vmap_area", 0x00040000u, 0u, 0u, false, true, "mm/vmalloc.c:5273" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct vxfs_inode_info) */
	{ "vxfs_inode", 0x00020000u, 0u, 0u, false, true, "fs/freevxfs/vxfs_super.c:319" },
	/* 0; size sizeof(struct wg_peer); align __alignof__(struct wg_peer) (unresolved) */
	{ "wg_peer", 0x00000000u, 0u, 0u, false, true, "drivers/net/wireguard/peer.c:232" },
	/* SLAB_ACCOUNT; size size; align __alignof__(struct x86_emulate_ctxt) (unresolved) */
	{ "x86_emulator", 0x04000000u, 0u, 0u, false, true, "arch/x86/kvm/x86.c:536" },
	/* 0; size size; align align (unresolved) */
	{ "x86_lbr", 0x00000000u, 0u, 0u, false, true, "arch/x86/events/intel/lbr.c:1417" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct xe_hw_fence) */
	{ "xe_hw_fence", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/xe/xe_hw_fence.c:23" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct xe_sched_job) + sizeof(struct xe_job_ptrs) */
	{ "xe_sched_job", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/xe/xe_sched_job.c:30" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct xe_sched_job) + sizeof(struct xe_job_ptrs) * XE_HW_ENGINE_MAX_INSTANCE */
	{ "xe_sched_job_parallel", 0x00002000u, 0u, 0u, false, true, "drivers/gpu/drm/xe/xe_sched_job.c:38" },
	/* 0; size sizeof(struct urb_priv) */
	{ "xenhcd_urb_priv", 0x00000000u, 0u, 0u, false, true, "drivers/usb/host/xen-hcd.c:1590" },
	/* SLAB_HWCACHE_ALIGN; size sizeof(struct xfrm6_tunnel_spi); align __alignof__(struct xfrm6_tunnel_spi) (unresolved) */
	{ "xfrm6_tunnel_spi", 0x00002000u, 0u, 0u, false, true, "net/ipv6/xfrm6_tunnel.c:358" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct xfrm_dst); align __alignof__(struct xfrm_dst) (unresolved) */
	{ "xfrm_dst", 0x00042000u, 0u, 0u, false, true, "net/xfrm/xfrm_policy.c:4213" },
	/* SLAB_HWCACHE_ALIGN|SLAB_PANIC; size sizeof(struct xfrm_state); align __alignof__(struct xfrm_state) (unresolved) */
	{ "xfrm_state", 0x00042000u, 0u, 0u, false, true, "net/xfrm/xfrm_state.c:3195" },
	/* 0; size sizeof(struct xfs_attr_intent) */
	{ "xfs_attr_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_attr.c:1554" },
	/* 0; size sizeof(struct xfs_attrd_log_item) */
	{ "xfs_attrd_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2212" },
	/* 0; size sizeof(struct xfs_attri_log_item) */
	{ "xfs_attri_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2218" },
	/* 0; size sizeof(struct xfs_bmap_intent) */
	{ "xfs_bmap_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_bmap.c:6313" },
	/* 0; size xfs_btree_cur_sizeof(xfs_bmbt_maxlevels_ondisk()) */
	{ "xfs_bmbt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_bmap_btree.c:747" },
	/* 0; size xfs_btree_cur_sizeof(xfs_allocbt_maxlevels_ondisk()) */
	{ "xfs_bnobt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_alloc_btree.c:613" },
	/* 0; size sizeof(struct xfs_bud_log_item) */
	{ "xfs_bud_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2200" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT; size sizeof(struct xfs_buf) */
	{ "xfs_buf", 0x00022000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2087" },
	/* 0; size sizeof(struct xfs_buf_log_item) */
	{ "xfs_buf_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2136" },
	/* 0; size xfs_bui_log_item_sizeof(XFS_BUI_MAX_FAST_EXTENTS) */
	{ "xfs_bui_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2206" },
	/* 0; size sizeof(struct xfs_cud_log_item) */
	{ "xfs_cud_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2188" },
	/* 0; size xfs_cui_log_item_sizeof(XFS_CUI_MAX_FAST_EXTENTS) */
	{ "xfs_cui_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2194" },
	/* 0; size sizeof(struct xfs_da_state) */
	{ "xfs_da_state", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2112" },
	/* 0; size sizeof(struct xfs_defer_pending) */
	{ "xfs_defer_pending", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_defer.c:1147" },
	/* 0; size sizeof(struct xfs_dquot_acct) */
	{ "xfs_dqtrx", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_dquot.c:1574" },
	/* 0; size sizeof(struct xfs_dquot) */
	{ "xfs_dquot", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_dquot.c:1568" },
	/* 0; size xfs_efd_log_item_sizeof(XFS_EFD_MAX_FAST_EXTENTS) */
	{ "xfs_efd_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2142" },
	/* 0; size xfs_efi_log_item_sizeof(XFS_EFI_MAX_FAST_EXTENTS) */
	{ "xfs_efi_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2148" },
	/* 0; size sizeof(struct xfs_exchmaps_intent) */
	{ "xfs_exchmaps_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_exchmaps.c:910" },
	/* 0; size sizeof(struct xfs_extent_free_item) */
	{ "xfs_extfree_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_alloc.c:4173" },
	/* 0; size sizeof(struct xfs_icreate_item) */
	{ "xfs_icr", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2170" },
	/* 0; size sizeof(struct xfs_ifork) */
	{ "xfs_ifork", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2118" },
	/* SLAB_RECLAIM_ACCOUNT; size sizeof(struct xfs_inode_log_item) */
	{ "xfs_ili", 0x00020000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2163" },
	/* 0; size xfs_btree_cur_sizeof(xfs_inobt_maxlevels_ondisk()) */
	{ "xfs_inobt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_ialloc_btree.c:823" },
	/* SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct xfs_inode); ctor xfs_fs_inode_init_once */
	{ "xfs_inode", 0x04022000u, 0u, 0u, true, true, "fs/xfs/xfs_super.c:2154" },
	/* 0; size sizeof(struct xfs_iunlink_item) */
	{ "xfs_iul_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2224" },
	/* 0; size sizeof(struct xlog_ticket) */
	{ "xfs_log_ticket", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2094" },
	/* 0; size sizeof(struct xfs_parent_args) */
	{ "xfs_parent_args", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2242" },
	/* 0; size xfs_btree_cur_sizeof(rcbagbt_maxlevels_possible()) */
	{ "xfs_rcbagbt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/scrub/rcbag_btree.c:298" },
	/* 0; size sizeof(struct xfs_refcount_intent) */
	{ "xfs_refc_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_refcount.c:2058" },
	/* 0; size xfs_btree_cur_sizeof(xfs_refcountbt_maxlevels_ondisk()) */
	{ "xfs_refcbt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_refcount_btree.c:530" },
	/* 0; size sizeof(struct xfs_rmap_intent) */
	{ "xfs_rmap_intent", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_rmap.c:3024" },
	/* 0; size xfs_btree_cur_sizeof(xfs_rmapbt_maxlevels_ondisk()) */
	{ "xfs_rmapbt_cur", 0x00000000u, 0u, 0u, false, true, "fs/xfs/libxfs/xfs_rmap_btree.c:879" },
	/* 0; size sizeof(struct xfs_rud_log_item) */
	{ "xfs_rud_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2176" },
	/* 0; size xfs_rui_log_item_sizeof(XFS_RUI_MAX_FAST_EXTENTS) */
	{ "xfs_rui_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2182" },
	/* 0; size sizeof(struct xfs_trans) */
	{ "xfs_trans", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2124" },
	/* 0; size sizeof(struct xfs_xmd_log_item) */
	{ "xfs_xmd_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2230" },
	/* 0; size sizeof(struct xfs_xmi_log_item) */
	{ "xfs_xmi_item", 0x00000000u, 0u, 0u, false, true, "fs/xfs/xfs_super.c:2236" },
	/* 0; size sizeof(struct dsthash_ent) */
	{ "xt_hashlimit", 0x00000000u, 0u, 0u, false, true, "net/netfilter/xt_hashlimit.c:1319" },
	/* 0; size sizeof(struct z3fold_buddy_slots) */
	{ "z3fold_handle", 0x00000000u, 64u, 0u, false, true, "mm/z3fold.c:917" },
	/* 0; size sizeof(struct zfcp_fc_req); align roundup_pow_of_two(sizeof(struct zfcp_fc_req)) (unresolved); via zfcp_cache_hw_align() drivers/s390/scsi/zfcp_aux.c:55 */
	{ "zfcp_fc_req", 0x00000000u, 0u, 0u, false, true, "drivers/s390/scsi/zfcp_aux.c:137" },
	/* 0; size sizeof(struct fsf_qtcb); align roundup_pow_of_two(sizeof(struct fsf_qtcb)) (unresolved); via zfcp_cache_hw_align() drivers/s390/scsi/zfcp_aux.c:55 */
	{ "zfcp_fsf_qtcb", 0x00000000u, 0u, 0u, false, true, "drivers/s390/scsi/zfcp_aux.c:132" },
	/* SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT; size sizeof(struct zonefs_inode_info) */
	{ "zonefs_inode_cache", 0x04020000u, 0u, 0u, false, true, "fs/zonefs/super.c:1428" },
	/* 0; size sizeof(struct zswap_entry); align __alignof__(struct zswap_entry) (unresolved) */
	{ "zswap_entry", 0x00000000u, 0u, 0u, false, true, "mm/zswap.c:1750" },
};

static int kcache_cmp(const void *key, const void *elem)
{
	const struct kcache_entry *e = elem;

	return strcmp(key, e->name);
}

const struct kcache_entry *kcache_lookup_6_12(const char *name)
{
	if (!name)
		return NULL;
	return bsearch(name, kcaches_6_12, sizeof(kcaches_6_12) / sizeof(kcaches_6_12[0]),
		       sizeof(kcaches_6_12[0]), kcache_cmp);
}

size_t kcache_count_6_12(void)
{
	return sizeof(kcaches_6_12) / sizeof(kcaches_6_12[0]);
}

const struct kcache_entry *kcache_at_6_12(size_t i)
{
	return i < kcache_count_6_12() ? &kcaches_6_12[i] : NULL;
}

/*
 * Skipped calls (name made at run time, or the call is inside a macro):
 *   block/bio.c:93 kmem_cache_create(bslab->name): name made at run time
 *   block/bio.c:1918 kmem_cache_create(bvs->name): name made at run time
 *   block/elevator.c:509 kmem_cache_create(e->icq_cache_name): name made at run time
 *   drivers/crypto/ccp/ccp-dmaengine.c:690 kmem_cache_create(dma_cmd_cache_name): name made at run time
 *   drivers/crypto/ccp/ccp-dmaengine.c:705 kmem_cache_create(dma_desc_cache_name): name made at run time
 *   drivers/dma/dmaengine.c:1446 kmem_cache_create(p->name): name made at run time
 *   drivers/dma/idxd/init.c:413 kmem_cache_create_usercopy(idxd_name): name made at run time
 *   drivers/dma/ptdma/ptdma-dmaengine.c:347 kmem_cache_create(desc_cache_name): name made at run time
 *   drivers/infiniband/hw/hfi1/user_sdma.c:150 kmem_cache_create(buf): name made at run time
 *   drivers/infiniband/hw/hfi1/verbs_txreq.c:86 kmem_cache_create(buf): name made at run time
 *   drivers/infiniband/hw/hfi1/vnic_sdma.c:269 kmem_cache_create(buf): name made at run time
 *   drivers/infiniband/hw/qib/qib_user_sdma.c:205 kmem_cache_create(pq->pkt_slab_name): name made at run time
 *   drivers/infiniband/ulp/srpt/ib_srpt.c:133 kmem_cache_create(name): name made at run time
 *   drivers/iommu/sun50i-iommu.c:1009 kmem_cache_create(dev_name(&pdev->dev)): name made at run time
 *   drivers/md/dm-bufio.c:2548 kmem_cache_create(slab_name): name made at run time
 *   drivers/md/dm-bufio.c:2561 kmem_cache_create(slab_name): name made at run time
 *   drivers/md/raid5.c:2428 kmem_cache_create(conf->cache_name[conf->active_name]): name made at run time
 *   drivers/md/raid5.c:2550 kmem_cache_create(conf->cache_name[1-conf->active_name]): name made at run time
 *   drivers/net/ethernet/mellanox/mlx5/core/fs_core.c:3736 kmem_cache_create(name): name made at run time
 *   drivers/net/ethernet/mellanox/mlx5/core/fs_core.c:3740 kmem_cache_create(name): name made at run time
 *   drivers/net/wireless/intel/iwlwifi/iwl-trans.c:70 kmem_cache_create(trans->dev_cmd_pool_name): name made at run time
 *   drivers/scsi/pmcraid.c:4157 kmem_cache_create(pinstance->cmd_pool_name): name made at run time
 *   drivers/staging/fieldbus/anybuss/host.c:1294 kmem_cache_create(dev_name(dev)): name made at run time
 *   drivers/usb/mon/mon_text.c:356 kmem_cache_create(rp->slab_name): name made at run time
 *   fs/ecryptfs/main.c:740 kmem_cache_create(info->name): name made at run time
 *   fs/erofs/zdata.c:251 kmem_cache_create(pcs->name): name made at run time
 *   fs/ext4/mballoc.c:3617 kmem_cache_create(ext4_groupinfo_slab_names[cache_index]): name made at run time
 *   fs/jbd2/journal.c:2781 kmem_cache_create(jbd2_slab_names[i]): name made at run time
 *   fs/smb/client/smbdirect.c:1473 kmem_cache_create(name): name made at run time
 *   fs/smb/client/smbdirect.c:1496 kmem_cache_create(name): name made at run time
 *   fs/smb/server/transport_rdma.c:1824 kmem_cache_create(name): name made at run time
 *   fs/smb/server/transport_rdma.c:1838 kmem_cache_create(name): name made at run time
 *   kernel/pid_namespace.c:56 kmem_cache_create(name): name made at run time
 *   lib/sg_pool.c:150 kmem_cache_create(sgp->name): name made at run time
 *   mm/zsmalloc.c:302 kmem_cache_create(name): name made at run time
 *   mm/zsmalloc.c:311 kmem_cache_create(name): name made at run time
 *   net/9p/client.c:1053 kmem_cache_create_usercopy(cache_name): name made at run time
 *   net/core/sock.c:4044 kmem_cache_create(twsk_prot->twsk_slab_name): name made at run time
 *   net/core/sock.c:4079 kmem_cache_create(rsk_prot->slab_name): name made at run time
 *   net/core/sock.c:4105 kmem_cache_create_usercopy(prot->name): name made at run time
 *   net/dccp/ccid.c:88 kmem_cache_create(slab_name_fmt): name is a parameter of ccid_kmem_cache_create(); no call site with a literal name
 *   net/ipv4/inet_fragment.c:107 kmem_cache_create(f->frags_cache_name): name made at run time
 *   net/mptcp/subflow.c:2172 kmem_cache_create(subflow_ops->slab_name): name made at run time
 */
