/*
 * list.h - a kernel-style circular doubly linked list (include/linux/list.h),
 * for model metadata that lives in host memory (slab lists, cache lists).
 *
 * list_add inserts at the head, list_add_tail at the tail: the models depend
 * on which, since the kernel's choice decides the order slabs are reused in.
 */
#ifndef KMEMSIM_MODELS_LIST_H
#define KMEMSIM_MODELS_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head { struct list_head *next, *prev; };

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)
#define list_first_entry_or_null(head, type, member) \
	(list_empty(head) ? NULL : list_first_entry(head, type, member))
#define list_for_each_entry(pos, head, member)					\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);		\
	     &pos->member != (head);						\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),		\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);						\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

static inline void INIT_LIST_HEAD(struct list_head *h) { h->next = h; h->prev = h; }
static inline bool list_empty(const struct list_head *h) { return h->next == h; }
static inline void list_insert_(struct list_head *e, struct list_head *prev, struct list_head *next)
{
	next->prev = e;
	e->next = next;
	e->prev = prev;
	prev->next = e;
}
/* Insert at the head. */
static inline void list_add(struct list_head *e, struct list_head *h) { list_insert_(e, h, h->next); }
/* Insert at the tail. */
static inline void list_add_tail(struct list_head *e, struct list_head *h) { list_insert_(e, h->prev, h); }
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e->prev = e;
}
static inline void list_move(struct list_head *e, struct list_head *h) { list_del(e); list_add(e, h); }
/* Entries on the list: O(n), for checkers and reports. */
static inline unsigned long list_count_(const struct list_head *h)
{
	unsigned long n = 0;

	for (const struct list_head *p = h->next; p != h; p = p->next)
		n++;
	return n;
}

#endif
