/*
 * test_trace612.c - reading what a Linux 6.12 kernel prints and saves
 * (traces/gfp.c's 6.12 table, traces/capture*.c's 6.12 config and uname).
 *
 * gfp: every name whose value changed between 6.1 and 6.12, read with both
 * tables, from the lines of shared/traces/debian-6.12.118-4cpu-2node (the
 * values are those of its formats/kmalloc.format: 6.12's gfp_types.h enum
 * numbers bits 0..23 as 6.1 does, bit 9 unused).  Capture: a 6.12 config's
 * symbols (MEMCG without MEMCG_KMEM, SLAB_BUCKETS, SLUB_TINY, ...) and the
 * uname release, on fixtures and on the shipped 6.12 sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "helpers.h"
#include "traces/capture.h"
#include "traces/trace.h"

#define K61 SIM_TRACE_GFP_6_1
#define K612 SIM_TRACE_GFP_6_12

static uint32_t gfp_of(enum sim_trace_gfp_kernel k, const char *s)
{
	uint32_t gfp = 0xdeadbeefu;

	cr_assert(eq(int, sim_trace_parse_gfp_of(k, s, strlen(s), &gfp), 0), "%s", s);
	return gfp;
}

/* The names whose value changed: GFP_ATOMIC, GFP_NOWAIT, __GFP_ATOMIC. */
Test(trace612, gfp_changed_names)
{
	uint32_t gfp;

	/* GFP_ATOMIC: 6.1 __GFP_HIGH 0x20 | __GFP_ATOMIC 0x200 | __GFP_KSWAPD_RECLAIM 0x800 = 0xa20;
	 * 6.12 (formats/kmalloc.format: BIT(5)|BIT(11)) = 0x820 */
	cr_assert(eq(u32, gfp_of(K61, "GFP_ATOMIC"), 0xa20u));
	cr_assert(eq(u32, gfp_of(K612, "GFP_ATOMIC"), 0x820u));
	/* GFP_NOWAIT: 6.1 0x800; 6.12 BIT(11)|BIT(13) = 0x2800 (it carries __GFP_NOWARN) */
	cr_assert(eq(u32, gfp_of(K61, "GFP_NOWAIT"), 0x800u));
	cr_assert(eq(u32, gfp_of(K612, "GFP_NOWAIT"), 0x2800u));
	/* __GFP_ATOMIC: 6.1 prints it; no 6.12 kernel does, so its table refuses it */
	cr_assert(eq(u32, gfp_of(K61, "__GFP_ATOMIC"), 0x200u));
	cr_assert(eq(int, sim_trace_parse_gfp_of(K612, "__GFP_ATOMIC", 12, &gfp), -1));
	cr_assert(eq(int, sim_trace_parse_gfp_of(K612, "GFP_ATOMIC|__GFP_ATOMIC", 23, &gfp), -1));
	/* a table that does not exist reads nothing */
	cr_assert(eq(int, sim_trace_parse_gfp_of(SIM_TRACE_NR_GFP_KERNELS, "GFP_KERNEL", 10, &gfp), -1));
}

/* Whole values of the 6.12 trace, read with 6.12's table (and what 6.1's made of them). */
Test(trace612, gfp_values_of_the_612_trace)
{
	static const struct { const char *text; uint32_t v612, v61; } cases[] = {
		/* a SLUB slab page of a kmalloc_node on its node (___slab_alloc's GFP_NOWAIT|__GFP_THISNODE
		 * try, allocate_slab's NOWARN|NORETRY, alloc_slab_page's COMP): 0x2800|0x10000|0x40000|0x200000 */
		{ "GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE", 0x252800u, 0x250800u },
		/* GFP_ATOMIC 0x820 | __GFP_NOWARN 0x2000 */
		{ "GFP_ATOMIC|__GFP_NOWARN", 0x2820u, 0x2a20u },
		/* order-0 folio of the page cache: GFP_HIGHUSER_MOVABLE 0x100cca | __GFP_COMP 0x40000 */
		{ "GFP_HIGHUSER_MOVABLE|__GFP_COMP", 0x140ccau, 0x140ccau },
		/* GFP_NOWAIT 0x2800 | __GFP_ACCOUNT 0x400000 */
		{ "GFP_NOWAIT|__GFP_ACCOUNT", 0x402800u, 0x400800u },
		/* leftover bits print as hex: 6.12's bit 24 (___GFP_NO_OBJ_EXT without KASAN_HW_TAGS, LOCKDEP) */
		{ "GFP_KERNEL|0x1000000", 0x1000cc0u, 0x1000cc0u },
		{ "none", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(eq(u32, gfp_of(K612, cases[i].text), cases[i].v612), "%s", cases[i].text);
		cr_assert(eq(u32, gfp_of(K61, cases[i].text), cases[i].v61), "%s", cases[i].text);
	}
}

/* Printing a mask as 6.12's show_gfp_flags does: its list, its composite values. */
Test(trace612, gfp_format_as_612_prints)
{
	static const char *const printed[] = {	/* as they appear in the 6.12 stock trace */
		"GFP_KERNEL|__GFP_ZERO", "GFP_HIGHUSER_MOVABLE|__GFP_COMP", "GFP_NOWAIT", "GFP_ATOMIC",
		"GFP_ATOMIC|__GFP_NOWARN", "GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE",
		"GFP_ATOMIC|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC", "__GFP_IO|__GFP_FS|__GFP_KSWAPD_RECLAIM",
		"GFP_NOWAIT|__GFP_IO|__GFP_FS|__GFP_NORETRY|__GFP_NOMEMALLOC", "GFP_KERNEL|GFP_DMA32|__GFP_NOWARN", "none",
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(printed) / sizeof(printed[0]); i++) {
		sim_trace_format_gfp_of(K612, gfp_of(K612, printed[i]), buf, sizeof(buf));
		cr_assert(eq(str, buf, (char *)printed[i]));
	}
	/* 0x800 alone is no longer GFP_NOWAIT in 6.12; 0x200 is no name there */
	sim_trace_format_gfp_of(K612, 0x800u, buf, sizeof(buf));
	cr_assert(eq(str, buf, "__GFP_KSWAPD_RECLAIM"));
	sim_trace_format_gfp_of(K612, 0xa20u, buf, sizeof(buf));
	cr_assert(eq(str, buf, "GFP_ATOMIC|0x200"));
	sim_trace_format_gfp_of(K61, 0xa20u, buf, sizeof(buf));
	cr_assert(eq(str, buf, "GFP_ATOMIC"));
	sim_trace_format_gfp_of(K61, 0x2800u, buf, sizeof(buf));
	cr_assert(eq(str, buf, "GFP_NOWAIT|__GFP_NOWARN"));
}

/* The reader takes its table from opts.gfp_kernel: the same line, two masks. */
Test(trace612, reader_reads_gfp_with_the_opts_table)
{
	/* line 1,112,058 of shared/traces/debian-6.12.118-4cpu-2node/trace.txt.xz (line 70 of the sample) */
	static const char line[] = "            init-1       [000] ...2.     5.508621: kmem_cache_alloc: "
		"call_site=radix_tree_node_alloc.constprop.0+0x87/0xd0 ptr=ffff88800a5fbd98 bytes_req=576 "
		"bytes_alloc=584 gfp_flags=GFP_ATOMIC|__GFP_NOWARN node=-1 accounted=false\n";
	uint32_t want[SIM_TRACE_NR_GFP_KERNELS] = { 0x2a20u, 0x2820u };

	for (int k = 0; k < SIM_TRACE_NR_GFP_KERNELS; k++) {
		struct sim_trace_opts opts = { .gfp_kernel = (enum sim_trace_gfp_kernel)k };
		struct sim_trace_event ev;
		struct sim_trace *r = NULL;

		cr_assert(eq(int, sim_trace_open_mem(&r, NULL, line, strlen(line), &opts), 0));
		cr_assert(eq(int, sim_trace_next(r, &ev), 1));
		cr_assert(eq(u32, ev.gfp, want[k]));
		cr_assert(eq(u32, ev.present & SIM_TRACE_HAS_GFP, SIM_TRACE_HAS_GFP));
		sim_trace_close(r);
	}
}

/* ------------------------------------------------------------ capture */

static const char kconfig612[] =
	"# Linux/x86 6.12.118 Kernel Configuration\n"
	"CONFIG_MEMCG=y\n"
	"CONFIG_SLUB=y\n"
	"# CONFIG_SLUB_TINY is not set\n"
	"CONFIG_SLAB_BUCKETS=y\n"
	"CONFIG_HARDENED_USERCOPY=y\n"
	"CONFIG_PCP_BATCH_SCALE_MAX=5\n"
	"CONFIG_TRANSPARENT_HUGEPAGE=y\n"
	"CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS=y\n";

Test(trace612, capture_reads_a_612_config_and_uname)
{
	char *dir = helper_tmpdir();
	char *files[3];
	struct sim_capture *c = NULL;

	files[0] = helper_write_file(dir, "kernel.config", kconfig612);
	files[1] = helper_write_file(dir, "uname", "Linux (none) 6.12.118+deb12-amd64 #1 SMP PREEMPT_DYNAMIC Debian "
				     "6.12.118-1~deb12u1 (2026-11-28) x86_64 GNU/Linux\n");
	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG_KMEM], SIM_NO));	/* 6.10 removed the symbol */
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB_BUCKETS], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB_TINY], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_HARDENED_USERCOPY], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_TRANSPARENT_HUGEPAGE_ALWAYS], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB], SIM_NO));		/* absent from the file: off */
	cr_assert(eq(int, c->pcp_batch_scale_max, 5));
	cr_assert(eq(int, c->release[0], 6));
	cr_assert(eq(int, c->release[1], 12));
	cr_assert(eq(int, c->release[2], 118));
	sim_capture_free(c);
	/* a malformed PCP_BATCH_SCALE_MAX is FILE:LINE: what */
	unlink(files[0]);
	free(files[0]);
	files[0] = helper_write_file(dir, "kernel.config", "CONFIG_SLUB=y\nCONFIG_PCP_BATCH_SCALE_MAX=9\n");
	{
		char *msg = NULL, *want = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);

		cr_assert(eq(int, sim_capture_open(&c, dir, err), SIM_EBADINPUT));
		fclose(err);
		cr_assert(asprintf(&want, "%s:2: CONFIG_PCP_BATCH_SCALE_MAX: expected a number from 0 to 6\n",
				   files[0]) > 0);
		cr_assert(eq(str, msg, want));
		free(msg);
		free(want);
	}
	/* a uname that names no release leaves it unknown */
	unlink(files[1]);
	free(files[1]);
	files[1] = helper_write_file(dir, "uname", "Linux box\n");
	unlink(files[0]);
	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(int, c->release[0], -1));
	cr_assert(eq(int, c->pcp_batch_scale_max, -1));
	sim_capture_free(c);
	free(files[0]);
	unlink(files[1]);
	free(files[1]);
	rmdir(dir);
	free(dir);
}

/* The shipped 6.12 sample's metadata: the release, Debian's 6.12 config. */
Test(trace612, sample_capture_is_612)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *dir = NULL;
	struct sim_capture *c = NULL;

	cr_assert(asprintf(&dir, "%s/traces/samples/debian-6.12.118-4cpu-2node", root ? root : ".") > 0);
	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(int, c->release[0] * 100 + c->release[1], 612));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB_BUCKETS], SIM_YES));
	cr_assert(eq(int, c->pcp_batch_scale_max, 5));
	cr_assert(eq(int, c->nr_nodes, 2));
	cr_assert(not(eq(ptr, (void *)sim_capture_find_cache(c, "maple_node"), NULL)));
	sim_capture_free(c);
	free(dir);
}

/* The shared SLUB oracle of 6.12: its small config (no memcg, no hardened usercopy, SLUB_STATS). */
Test(trace612, oracle_612_capture_config)
{
	char *dir = helper_shared_trace("oracle-slub-stats-6.12.118-4cpu-2node");
	struct sim_capture *c = NULL;

	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(int, c->release[0] * 100 + c->release[1], 612));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB_STATS], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB_TINY], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_HARDENED_USERCOPY], SIM_NO));
	sim_capture_free(c);
	free(dir);
}
