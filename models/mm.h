/*
 * mm.h - page frames, gfp flags and simulated memory, shared by every model.
 *
 * Page metadata (struct page) is kept in sections of SECTION_PAGES frames
 * allocated when first touched, so a large machine costs host memory only for
 * what a run uses.  Addresses handed out by the models are simulated kernel
 * virtual addresses in the direct map (PAGE_OFFSET + pfn * PAGE_SIZE): they
 * are deterministic and are never dereferenced by the host; the bytes behind
 * them (free pointers stored inside objects) are read and written through
 * sim_mem_read64 / sim_mem_write64, which allocate page contents lazily.
 *
 * Implemented in models/memory.c.  The buddy allocator's API is in
 * models/buddy/buddy.h.
 */
#ifndef KMEMSIM_MODELS_MM_H
#define KMEMSIM_MODELS_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MAX_ORDER 11			/* orders 0..10; exclusive bound in 6.1 */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))
/* 6.12's names for the same geometry (include/linux/mmzone.h, since 6.8): the largest order,
 * inclusive, and the number of orders.  Shared code keeps 6.1's MAX_ORDER; 6.12 code uses these. */
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define PAGE_ALLOC_COSTLY_ORDER 3
/* pageblock_order: 9 (HUGETLB_PAGE_ORDER) or MAX_ORDER - 1 without CONFIG_HUGETLB_PAGE; set by buddy_init */
extern unsigned int buddy_pageblock_order;
#define pageblock_order buddy_pageblock_order
#define pageblock_nr_pages (1UL << pageblock_order)
#define HPAGE_PMD_ORDER 9		/* PMD_SHIFT - PAGE_SHIFT on x86-64: a THP */
bool pcp_allowed_order(unsigned int order);	/* an order the per-CPU lists hold (buddy/pcp.c) */
#define PAGE_OFFSET 0xffff888000000000ULL /* x86-64 direct map base */
#define SECTION_SHIFT 15		/* 32768 frames (128 MiB) per metadata section */
#define SECTION_PAGES (1UL << SECTION_SHIFT)

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, MAX_NR_ZONES };

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

/* gfp bits as 6.1 numbers them (include/linux/gfp_types.h). */
#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_ATOMIC		0x200u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u
#define ___GFP_SKIP_ZERO	0x1000000u
#define ___GFP_SKIP_KASAN_UNPOISON 0x2000000u
#define ___GFP_SKIP_KASAN_POISON 0x4000000u

typedef uint32_t gfp_t;
#define __GFP_DMA ___GFP_DMA
#define __GFP_HIGHMEM ___GFP_HIGHMEM
#define __GFP_DMA32 ___GFP_DMA32
#define __GFP_MOVABLE ___GFP_MOVABLE
#define __GFP_RECLAIMABLE ___GFP_RECLAIMABLE
#define __GFP_HIGH ___GFP_HIGH
#define __GFP_IO ___GFP_IO
#define __GFP_FS ___GFP_FS
#define __GFP_ZERO ___GFP_ZERO
#define __GFP_ATOMIC ___GFP_ATOMIC
#define __GFP_DIRECT_RECLAIM ___GFP_DIRECT_RECLAIM
#define __GFP_KSWAPD_RECLAIM ___GFP_KSWAPD_RECLAIM
#define __GFP_RECLAIM (___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM)
#define __GFP_WRITE ___GFP_WRITE
#define __GFP_NOWARN ___GFP_NOWARN
#define __GFP_RETRY_MAYFAIL ___GFP_RETRY_MAYFAIL
#define __GFP_NOFAIL ___GFP_NOFAIL
#define __GFP_NORETRY ___GFP_NORETRY
#define __GFP_MEMALLOC ___GFP_MEMALLOC
#define __GFP_COMP ___GFP_COMP
#define __GFP_NOMEMALLOC ___GFP_NOMEMALLOC
#define __GFP_HARDWALL ___GFP_HARDWALL
#define __GFP_THISNODE ___GFP_THISNODE
#define __GFP_ACCOUNT ___GFP_ACCOUNT
#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE (GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT 3

/* kernel: gfp_zone, include/linux/gfp.h (defined in models/buddy/zonelist.c) */
int gfp_zone(gfp_t flags);
static inline int gfp_migratetype(gfp_t gfp) { return (int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT); }

/* page->flags bits we model. */
enum pageflags {
	PG_buddy	= 1u << 0,	/* head of a free buddy block (PageBuddy) */
	PG_slab		= 1u << 1,	/* first page of a slab */
	PG_head		= 1u << 2,	/* head of a compound page */
	PG_tail		= 1u << 3,	/* tail of a compound page */
	PG_pcp		= 1u << 4,	/* on a per-cpu pageset list */
	PG_allocated	= 1u << 5,	/* handed out by the page allocator */
	PG_reserved	= 1u << 6,	/* not in any zone (hole) */
	PG_pfmemalloc	= 1u << 7,	/* allocated from the reserves */
	PG_lru		= 1u << 8,	/* on a node's LRU list (models/buddy/vmscan.c) */
	PG_active	= 1u << 9,	/* on an active LRU list */
	PG_referenced	= 1u << 10,	/* accessed since the last scan (mark_page_accessed) */
	PG_swapbacked	= 1u << 11,	/* anonymous: on the anon lists (page->slab_meta: its mm) */
};

/*
 * One page frame.  List links are pfn + 1 (0 = none) to keep it compact.
 * The slab models keep their struct slab apart and point at it from
 * slab_meta (a struct slab * in the kernel overlays the page itself).
 */
struct page {
	uint32_t flags;		/* enum pageflags */
	uint8_t order;		/* buddy order when PG_buddy; allocation order when PG_allocated */
	uint8_t pcp_mt;		/* migratetype cached while on a pcp list (page->index) */
	uint8_t nid, zid;	/* node and zone of this frame */
	uint32_t lru_next;	/* list link: next pfn + 1 */
	uint32_t lru_prev;	/* list link: previous pfn + 1 */
	void *slab_meta;	/* struct slab * of the slab this page belongs to */
};

/* Metadata of frame `pfn`, allocated (zeroed, then initialised) on first touch. */
struct page *pfn_to_page(uint64_t pfn);
uint64_t page_to_pfn(const struct page *page);
static inline int page_to_nid(const struct page *page) { return page->nid; }
static inline bool PageBuddy(const struct page *page) { return page->flags & PG_buddy; }
static inline bool PageSlab(const struct page *page) { return page->flags & PG_slab; }

/* Direct-map address of a frame and back. */
static inline uint64_t pfn_to_virt(uint64_t pfn) { return PAGE_OFFSET + (pfn << PAGE_SHIFT); }
static inline uint64_t virt_to_pfn(uint64_t addr) { return (addr - PAGE_OFFSET) >> PAGE_SHIFT; }
static inline void *page_address(const struct page *page) { return (void *)(uintptr_t)pfn_to_virt(page_to_pfn(page)); }
static inline struct page *virt_to_page(const void *addr) { return pfn_to_page(virt_to_pfn((uint64_t)(uintptr_t)addr)); }
/* The head page of the compound page containing addr. */
struct page *virt_to_head_page(const void *addr);

/* Bytes of simulated memory (contents allocated lazily, zero-filled). */
uint64_t sim_mem_read64(uint64_t addr);
void sim_mem_write64(uint64_t addr, uint64_t val);

/* Set up the frames of the machine (called by the buddy init); free everything. */
void sim_mem_init(uint64_t max_pfn);
void sim_mem_exit(void);
uint64_t sim_mem_host_bytes(void);	/* host memory used by metadata and contents */
/* Frames [start_pfn, start_pfn + nr_pages) belong to zone zid of node nid (before first touch). */
void sim_mem_add_range(uint64_t start_pfn, uint64_t nr_pages, int nid, int zid);
/* Forget the contents of nr_pages frames from pfn: they read as zero again. */
void sim_mem_clear(uint64_t pfn, uint64_t nr_pages);
uint64_t sim_mem_nr_sections(void);	/* sections covering the machine */
struct page *sim_mem_section(uint64_t sec); /* its frames, or NULL when untouched; no allocation */
uint64_t sim_mem_section_nr_pages(uint64_t sec); /* frames in it: SECTION_PAGES, fewer for a short last section */

#endif
