/*
 * tl_pb.c - the protobuf wire encoding of the timeline (tl_pb.h): base-128
 * varints, tags (field << 3 | wire type) and length-delimited fields.
 */
#include <stdlib.h>
#include <string.h>

#include "tl_pb.h"

#define TL_WIRE_VARINT	0
#define TL_WIRE_LEN	2
#define TL_WIRE_I64	1

void tl_buf_free(struct tl_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Room for n more bytes; false (and b->failed) when it cannot grow. */
static bool tl_buf_room(struct tl_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->failed)
		return false;
	if (b->len + n <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void tl_pb_varint(struct tl_buf *b, uint64_t v)
{
	if (!tl_buf_room(b, 10))
		return;
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

void tl_pb_uint(struct tl_buf *b, int field, uint64_t v)
{
	tl_pb_varint(b, (uint64_t)field << 3 | TL_WIRE_VARINT);
	tl_pb_varint(b, v);
}

void tl_pb_int(struct tl_buf *b, int field, int64_t v)
{
	tl_pb_uint(b, field, (uint64_t)v);
}

void tl_pb_bytes(struct tl_buf *b, int field, const void *p, size_t n)
{
	tl_pb_varint(b, (uint64_t)field << 3 | TL_WIRE_LEN);
	tl_pb_varint(b, n);
	if (n && tl_buf_room(b, n)) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
	}
}

void tl_pb_fixed64(struct tl_buf *b, int field, uint64_t v)
{
	tl_pb_varint(b, (uint64_t)field << 3 | TL_WIRE_I64);
	if (!tl_buf_room(b, 8))
		return;
	for (int i = 0; i < 8; i++)
		b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

void tl_pb_str(struct tl_buf *b, int field, const char *s)
{
	tl_pb_bytes(b, field, s, strlen(s));
}

void tl_pb_msg(struct tl_buf *b, int field, const struct tl_buf *msg)
{
	if (msg->failed)
		b->failed = true;
	tl_pb_bytes(b, field, msg->p, msg->len);
}
