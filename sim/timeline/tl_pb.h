/*
 * tl_pb.h - the protobuf wire encoding the timeline writes (private to
 * sim/timeline/): varints, length-delimited fields and nested messages into
 * growable buffers, and the field numbers of Perfetto's trace format that
 * timeline.c uses (protos/perfetto/trace/ in Perfetto's source; numbers of
 * a proto field never change).
 */
#ifndef KMEMSIM_SIM_TIMELINE_TL_PB_H
#define KMEMSIM_SIM_TIMELINE_TL_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A message being built; `failed` once an allocation failed (then it stops growing). */
struct tl_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
};

void tl_buf_free(struct tl_buf *b);
static inline void tl_buf_reset(struct tl_buf *b) { b->len = 0; }
void tl_pb_varint(struct tl_buf *b, uint64_t v);
void tl_pb_uint(struct tl_buf *b, int field, uint64_t v);		/* varint field */
void tl_pb_int(struct tl_buf *b, int field, int64_t v);		/* int64: two's complement varint */
void tl_pb_bytes(struct tl_buf *b, int field, const void *p, size_t n);	/* length-delimited */
void tl_pb_str(struct tl_buf *b, int field, const char *s);
void tl_pb_fixed64(struct tl_buf *b, int field, uint64_t v);		/* 8 bytes, little-endian */
void tl_pb_msg(struct tl_buf *b, int field, const struct tl_buf *msg);	/* a nested message */

/* perfetto.protos.Trace */
#define PB_TRACE_PACKET			1
/* TracePacket */
#define PB_PACKET_TIMESTAMP		8
#define PB_PACKET_SEQUENCE_ID		10	/* trusted_packet_sequence_id */
#define PB_PACKET_TRACK_EVENT		11
#define PB_PACKET_INTERNED_DATA		12
#define PB_PACKET_SEQUENCE_FLAGS	13
#define PB_PACKET_TRACK_DESCRIPTOR	60
#define PB_SEQ_INCREMENTAL_STATE_CLEARED 1
#define PB_SEQ_NEEDS_INCREMENTAL_STATE	2
/* TrackDescriptor */
#define PB_TRACK_UUID			1
#define PB_TRACK_NAME			2
#define PB_TRACK_PARENT_UUID		5
#define PB_TRACK_COUNTER		8	/* CounterDescriptor */
#define PB_COUNTER_UNIT			3	/* CounterDescriptor.unit */
#define PB_COUNTER_UNIT_COUNT		2
/* TrackEvent */
#define PB_EVENT_DEBUG_ANNOTATIONS	4
#define PB_EVENT_TYPE			9
#define PB_EVENT_NAME_IID		10
#define PB_EVENT_TRACK_UUID		11
#define PB_EVENT_NAME			23
#define PB_EVENT_COUNTER_VALUE		30
#define PB_EVENT_FLOW_IDS		47	/* repeated fixed64: flows that start or pass here */
#define PB_EVENT_TERMINATING_FLOW_IDS	48	/* repeated fixed64: flows that end here */
#define PB_TYPE_SLICE_BEGIN		1
#define PB_TYPE_SLICE_END		2
#define PB_TYPE_INSTANT			3
#define PB_TYPE_COUNTER			4
/* DebugAnnotation */
#define PB_ANN_NAME_IID			1
#define PB_ANN_UINT			3
#define PB_ANN_INT			4
#define PB_ANN_STRING_IID		17
/* InternedData: EventName, DebugAnnotationName {iid = 1, name = 2}; InternedString {iid = 1, str = 2} */
#define PB_INTERNED_EVENT_NAMES		2
#define PB_INTERNED_ANN_NAMES		3
#define PB_INTERNED_ANN_STRINGS		29
#define PB_INTERNED_IID			1
#define PB_INTERNED_NAME		2

#endif
