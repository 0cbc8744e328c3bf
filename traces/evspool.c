/*
 * evspool.c - a compact copy of a reader's events (evspool.h).
 *
 * A record is one byte of event type, a 32-bit mask of the 8-byte words of
 * struct sim_trace_event that differ from the previous event of that type,
 * then those words.  Events of one type share most of their words (the
 * comm's, the flags', the fields a type does not print, often the size, gfp
 * and call site), so a record is under a quarter of the struct, and reading
 * one back is a copy of a few words: no text, no parsing.  The bytes are
 * copied as they are, so every field comes back equal (the strings are
 * pointers into the reader's interned strings).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evspool.h"

#define NR_WORDS (sizeof(struct sim_trace_event) / 8)
#define NR_SLOTS 16			/* previous events, by type (SIM_TRACE_MARK is 13) */
#define BUF (1024 * 1024)		/* bytes written or read at a time */
#define REC_MAX (5 + sizeof(struct sim_trace_event))

_Static_assert(sizeof(struct sim_trace_event) % 8 == 0, "the event is whole words");
_Static_assert(NR_WORDS <= 32, "a record's mask has 32 bits");
_Static_assert(SIM_TRACE_MARK < NR_SLOTS, "a slot per type");

struct sim_trace_evspool {
	FILE *f;			/* the unlinked temporary file */
	int fd;
	unsigned char *buf;		/* write buffer, then read buffer */
	size_t len, pos;		/* bytes in buf; read position */
	uint64_t file_off;		/* written: bytes flushed; read: the file offset of buf[len] */
	uint64_t bytes, count, max;	/* bytes and events kept; the limit (0: none) */
	bool failed, reading;
	uint64_t prev[NR_SLOTS][NR_WORDS];	/* the previous event of each type, as words */
};

int sim_trace_evspool_new(struct sim_trace_evspool **out)
{
	struct sim_trace_evspool *sp = calloc(1, sizeof(*sp));

	*out = NULL;
	if (!sp)
		return -1;
	sp->buf = malloc(BUF);
	sp->f = sp->buf ? tmpfile() : NULL;
	if (!sp->f) {
		free(sp->buf);
		free(sp);
		return -1;
	}
	sp->fd = fileno(sp->f);
	*out = sp;
	return 0;
}

void sim_trace_evspool_set_max(struct sim_trace_evspool *sp, uint64_t max_bytes)
{
	sp->max = max_bytes;
}

static int flush(struct sim_trace_evspool *sp)
{
	size_t done = 0;

	while (done < sp->len) {
		ssize_t n = write(sp->fd, sp->buf + done, sp->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sp->failed = true;
			return -1;
		}
		done += (size_t)n;
	}
	sp->file_off += sp->len;
	sp->len = 0;
	return 0;
}

int sim_trace_evspool_put(struct sim_trace_evspool *sp, const struct sim_trace_event *ev)
{
	unsigned slot = (unsigned)ev->type < NR_SLOTS ? (unsigned)ev->type : NR_SLOTS - 1;
	const unsigned char *src = (const unsigned char *)ev;
	uint64_t *prev = sp->prev[slot];
	unsigned char *p;
	uint32_t mask = 0;

	if (sp->failed || sp->reading)
		return -1;
	if (BUF - sp->len < REC_MAX && flush(sp))
		return -1;
	p = sp->buf + sp->len;
	*p = (unsigned char)slot;
	p += 5;
	/* without branches: each word is written, and kept when it differs */
#pragma GCC unroll 32
	for (unsigned i = 0; i < NR_WORDS; i++) {
		uint64_t x;
		uint32_t d;

		memcpy(&x, src + 8 * i, 8);
		d = x != prev[i];
		memcpy(p, &x, 8);
		p += 8 * d;
		mask |= d << i;
		prev[i] = x;
	}
	memcpy(sp->buf + sp->len + 1, &mask, 4);
	sp->len = (size_t)(p - sp->buf);
	sp->bytes = sp->file_off + sp->len;
	sp->count++;
	if (sp->max && sp->bytes > sp->max) {
		sp->failed = true;
		return -1;
	}
	return 0;
}

int sim_trace_evspool_end(struct sim_trace_evspool *sp)
{
	if (sp->failed || (!sp->reading && flush(sp)))
		return -1;
	sp->reading = true;
	sp->len = sp->pos = 0;
	sp->file_off = 0;
	memset(sp->prev, 0, sizeof(sp->prev));
	return 0;
}

/* Keep the unread bytes and read what follows them. */
static int refill(struct sim_trace_evspool *sp)
{
	size_t keep = sp->len - sp->pos;

	memmove(sp->buf, sp->buf + sp->pos, keep);
	sp->len = keep;
	sp->pos = 0;
	while (sp->len < BUF && sp->file_off < sp->bytes) {
		ssize_t n = pread(sp->fd, sp->buf + sp->len, BUF - sp->len, (off_t)sp->file_off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		sp->len += (size_t)n;
		sp->file_off += (uint64_t)n;
	}
	return 0;
}

int sim_trace_evspool_next(struct sim_trace_evspool *sp, struct sim_trace_event *ev)
{
	const unsigned char *p;
	uint64_t *prev;
	uint32_t mask;

	if (!sp->reading || sp->failed)
		return -1;
	if (sp->len - sp->pos < REC_MAX && sp->file_off < sp->bytes && refill(sp)) {
		sp->failed = true;
		return -1;
	}
	if (sp->pos == sp->len)
		return 0;
	p = sp->buf + sp->pos;
	prev = sp->prev[p[0] % NR_SLOTS];
	memcpy(&mask, p + 1, 4);
	p += 5;
	while (mask) {
		unsigned i = (unsigned)__builtin_ctz(mask);

		memcpy(&prev[i], p, 8);
		p += 8;
		mask &= mask - 1;
	}
	memcpy(ev, prev, sizeof(*ev));
	sp->pos = (size_t)(p - sp->buf);
	return 1;
}

uint64_t sim_trace_evspool_count(const struct sim_trace_evspool *sp)
{
	return sp->count;
}

uint64_t sim_trace_evspool_bytes(const struct sim_trace_evspool *sp)
{
	return sp->bytes;
}

void sim_trace_evspool_free(struct sim_trace_evspool *sp)
{
	if (!sp)
		return;
	fclose(sp->f);
	free(sp->buf);
	free(sp);
}
