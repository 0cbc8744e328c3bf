/*
 * input.c - the trace reader's bytes -> lines layer.
 *
 * A source is a file descriptor (a file or stdin) or a block of memory.  The
 * first bytes decide what it holds: gzip (1f 8b) is inflated with zlib, xz
 * (fd 37 7a 58 5a 00) decoded with liblzma, anything else is text.  Known
 * formats we do not read (trace-cmd's trace.dat, zstd, bzip2, lz4) get a
 * message saying what to do instead.  Main entry: trace_input_getline().
 *
 * Text goes through one window of WINDOW bytes: getline finds the next '\n'
 * with memchr and, when the window holds no complete line, moves the partial
 * line to the front and fills the rest.  Memory use is the window, the
 * compressed-input buffer and the decoder's state: constant in the trace
 * length.  Plain text in memory is read in place, without a copy.
 *
 * Compressed input is decoded on a thread of its own (struct input_dec), started at the
 * first read: it fills a ring of DEC_NR chunks while the caller parses the text of the
 * chunks before, so that decoding (half of a learning pass's time on an xz trace) runs on
 * the second core.  Only that thread touches the source and the decoder state until it
 * has given its last chunk; the caller copies chunks into the window.  The text, and so
 * every line, is the same byte for byte as decoding in line would give.
 */
#include <errno.h>
#include <lzma.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "trace_int.h"

#define WINDOW (1024 * 1024)		/* text window; > TRACE_MAX_LINE */
#define CBUF (256 * 1024)		/* compressed bytes read per refill */
#define DEC_CHUNK (256 * 1024)		/* text bytes per chunk of the decoder thread */
#define DEC_NR 4			/* chunks in its ring */

/* The decoder thread's ring: chunks [head, head + filled) are decoded, ring[tail] is being filled. */
struct input_dec {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t not_full, not_empty;
	char *chunk[DEC_NR];
	size_t len[DEC_NR];		/* text bytes in chunk[i] */
	int head, tail, filled;
	size_t pos;			/* bytes of ring[head] already copied out */
	bool done;			/* the thread gave its last chunk (and ended) */
	bool stop;			/* the reader is closing: end now */
	int rc;				/* its final code: 0 at the end of the text, else the error */
	char msg[256];			/* its error's message */
};

struct trace_input {
	int fd;				/* -1 for a memory source */
	bool own_fd;			/* close fd at the end */
	const unsigned char *mem;	/* memory source */
	size_t mem_len, mem_pos;
	bool src_eof;			/* the source has given its last byte */
	enum trace_zip zip;
	unsigned char *cbuf;		/* compressed bytes (fd source) */
	z_stream gz;
	lzma_stream xz;
	bool dec_init;			/* gz or xz needs an end call */
	char *buf;			/* text window (or the memory itself) */
	bool own_buf;
	size_t cap, start, end;		/* window size; unread text is buf[start, end) */
	bool text_eof;			/* no more text after buf[end] */
	bool skipping;			/* inside a line longer than TRACE_MAX_LINE */
	uint64_t nr_text;		/* text bytes seen */
	struct input_dec *dec;		/* the decoder thread (compressed input), from the first read */
	bool dec_failed;		/* it could not start: decode in line */
};

/* Read up to n bytes from the source; 0 at its end, -1 on error (errno). */
static ssize_t src_read(struct trace_input *in, void *dst, size_t n)
{
	ssize_t got;

	if (in->fd < 0) {
		size_t left = in->mem_len - in->mem_pos;

		if (n > left)
			n = left;
		memcpy(dst, in->mem + in->mem_pos, n);
		in->mem_pos += n;
		return (ssize_t)n;
	}
	do {
		got = read(in->fd, dst, n);
	} while (got < 0 && errno == EINTR);
	return got;
}

/* Read until dst holds at least want bytes or the source ends. */
static ssize_t src_read_atleast(struct trace_input *in, unsigned char *dst, size_t cap, size_t want)
{
	size_t have = 0;

	while (have < want) {
		ssize_t got = src_read(in, dst + have, cap - have);

		if (got < 0)
			return -1;
		if (got == 0) {
			in->src_eof = true;
			break;
		}
		have += (size_t)got;
	}
	return (ssize_t)have;
}

/*
 * Give the decoder more compressed input: the rest of a memory source in
 * place, or the next CBUF bytes of the fd after the `keep` unread ones.
 */
static int src_refill(struct trace_input *in, const unsigned char **next, size_t *avail,
		      char *msg, size_t msgsz)
{
	ssize_t got;

	if (in->fd < 0) {
		*next = in->mem + in->mem_pos;
		*avail = in->mem_len - in->mem_pos;
		in->mem_pos = in->mem_len;
		in->src_eof = true;
		return 0;
	}
	memmove(in->cbuf, *next, *avail);
	got = src_read(in, in->cbuf + *avail, CBUF - *avail);
	if (got < 0) {
		trace_msg(msg, msgsz, "input: read: %s", strerror(errno));
		return -SIM_EFAIL;
	}
	if (got == 0)
		in->src_eof = true;
	*next = in->cbuf;
	*avail += (size_t)got;
	return 0;
}

/* Inflate gzip members into dst[0, room) until some text comes out (*got bytes) or the input
 * ends (*eof). */
static int fill_gzip(struct trace_input *in, char *dst, size_t room, size_t *got, bool *eof, char *msg,
		     size_t msgsz)
{
	z_stream *z = &in->gz;

	z->next_out = (unsigned char *)dst;
	z->avail_out = (uInt)room;
	while (z->avail_out == room) {
		const unsigned char *next = z->next_in;
		size_t avail = z->avail_in;
		int ret;

		if (avail < 2 && !in->src_eof) {
			int rc = src_refill(in, &next, &avail, msg, msgsz);

			if (rc)
				return rc;
			z->next_in = (unsigned char *)next;
			z->avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
		}
		ret = inflate(z, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			/* Another member follows (gzip files concatenate), or the end. */
			if (z->avail_in < 2 && !in->src_eof)
				continue;	/* refill first, then look again */
			if (z->avail_in >= 2 && z->next_in[0] == 0x1f && z->next_in[1] == 0x8b) {
				inflateReset(z);
				continue;
			}
			*eof = true;	/* trailing bytes after the last member are ignored */
			break;
		}
		if (ret == Z_BUF_ERROR && z->avail_in == 0 && in->src_eof) {
			trace_msg(msg, msgsz, "input: gzip: compressed data ends early (truncated file?)");
			return -SIM_EBADINPUT;
		}
		if (ret == Z_MEM_ERROR) {
			trace_msg(msg, msgsz, "input: gzip: out of memory");
			return -SIM_EFAIL;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			trace_msg(msg, msgsz, "input: gzip: compressed data is corrupt (%s)",
				  z->msg ? z->msg : "bad data");
			return -SIM_EBADINPUT;
		}
	}
	*got = room - z->avail_out;
	return 0;
}

/* Decode xz streams into dst[0, room) until some text comes out (*got bytes) or the input ends
 * (*eof). */
static int fill_xz(struct trace_input *in, char *dst, size_t room, size_t *got, bool *eof, char *msg,
		   size_t msgsz)
{
	lzma_stream *x = &in->xz;

	x->next_out = (uint8_t *)dst;
	x->avail_out = room;
	while (x->avail_out == room) {
		lzma_ret ret;

		if (x->avail_in == 0 && !in->src_eof) {
			const unsigned char *next = x->next_in;
			size_t avail = 0;
			int rc = src_refill(in, &next, &avail, msg, msgsz);

			if (rc)
				return rc;
			x->next_in = next;
			x->avail_in = avail;
		}
		ret = lzma_code(x, in->src_eof ? LZMA_FINISH : LZMA_RUN);
		if (ret == LZMA_STREAM_END) {
			*eof = true;
			break;
		}
		if (ret == LZMA_OK)
			continue;
		if (ret == LZMA_MEM_ERROR || ret == LZMA_MEMLIMIT_ERROR) {
			trace_msg(msg, msgsz, "input: xz: out of memory");
			return -SIM_EFAIL;
		}
		if (ret == LZMA_BUF_ERROR)
			trace_msg(msg, msgsz, "input: xz: compressed data ends early (truncated file?)");
		else if (ret == LZMA_OPTIONS_ERROR)
			trace_msg(msg, msgsz, "input: xz: unsupported compression options");
		else
			trace_msg(msg, msgsz, "input: xz: compressed data is corrupt (%s)",
				  ret == LZMA_DATA_ERROR ? "bad data" : ret == LZMA_FORMAT_ERROR ? "bad header" :
				  ret == LZMA_UNSUPPORTED_CHECK ? "unknown check" : "lzma error");
		return -SIM_EBADINPUT;
	}
	*got = room - x->avail_out;
	return 0;
}

/* Decode into dst[0, room): some text (*got bytes), or the end (*eof); 0 or the error. */
static int decode(struct trace_input *in, char *dst, size_t room, size_t *got, bool *eof, char *msg,
		  size_t msgsz)
{
	*got = 0;
	return in->zip == TRACE_ZIP_GZIP ? fill_gzip(in, dst, room, got, eof, msg, msgsz)
					 : fill_xz(in, dst, room, got, eof, msg, msgsz);
}

/* ------------------------------------------------------- the decoder thread */

static void *dec_main(void *arg)
{
	struct trace_input *in = arg;
	struct input_dec *d = in->dec;

	for (;;) {
		bool eof = false;
		size_t got;
		char *dst;
		int rc;

		pthread_mutex_lock(&d->mu);
		while (d->filled == DEC_NR && !d->stop)
			pthread_cond_wait(&d->not_full, &d->mu);
		if (d->stop) {
			pthread_mutex_unlock(&d->mu);
			return NULL;
		}
		dst = d->chunk[d->tail];
		pthread_mutex_unlock(&d->mu);

		rc = decode(in, dst, DEC_CHUNK, &got, &eof, d->msg, sizeof(d->msg));

		pthread_mutex_lock(&d->mu);
		d->len[d->tail] = rc ? 0 : got;
		d->tail = (d->tail + 1) % DEC_NR;
		d->filled++;
		d->done = rc || eof;
		d->rc = rc;
		pthread_cond_signal(&d->not_empty);
		pthread_mutex_unlock(&d->mu);
		if (rc || eof)
			return NULL;
	}
}

/* End the thread (stopping it when it has not finished) and free the ring. */
static void dec_end(struct trace_input *in)
{
	struct input_dec *d = in->dec;

	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->not_full);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->not_full);
	pthread_cond_destroy(&d->not_empty);
	for (int i = 0; i < DEC_NR; i++)
		free(d->chunk[i]);
	free(d);
	in->dec = NULL;
}

/* Start the thread; false (decode in line) when it cannot. */
static bool dec_start(struct trace_input *in)
{
	struct input_dec *d = calloc(1, sizeof(*d));
	bool ok = d != NULL;

	for (int i = 0; ok && i < DEC_NR; i++)
		ok = (d->chunk[i] = malloc(DEC_CHUNK)) != NULL;
	if (ok && !pthread_mutex_init(&d->mu, NULL)) {
		pthread_cond_init(&d->not_full, NULL);
		pthread_cond_init(&d->not_empty, NULL);
		in->dec = d;
		if (!pthread_create(&d->thread, NULL, dec_main, in))
			return true;
		in->dec = NULL;
		pthread_mutex_destroy(&d->mu);
		pthread_cond_destroy(&d->not_full);
		pthread_cond_destroy(&d->not_empty);
	}
	for (int i = 0; d && i < DEC_NR; i++)
		free(d->chunk[i]);
	free(d);
	in->dec_failed = true;
	return false;
}

/* Copy decoded text into dst[0, room): *got bytes (some), or the end (*eof); 0 or the error.
 * At the end the thread is joined: no thread outlives the text (a sweep forks after it). */
static int dec_take(struct trace_input *in, char *dst, size_t room, size_t *got, bool *eof, char *msg,
		    size_t msgsz)
{
	struct input_dec *d = in->dec;
	int rc = 0;

	*got = 0;
	pthread_mutex_lock(&d->mu);
	while (!*got) {
		size_t n;

		while (!d->filled && !d->done)
			pthread_cond_wait(&d->not_empty, &d->mu);
		if (!d->filled) {		/* done, and every chunk taken */
			*eof = !d->rc;
			rc = d->rc;
			break;
		}
		n = d->len[d->head] - d->pos;
		if (n > room)
			n = room;
		memcpy(dst, d->chunk[d->head] + d->pos, n);
		*got = n;
		d->pos += n;
		if (d->pos == d->len[d->head]) {
			d->head = (d->head + 1) % DEC_NR;
			d->filled--;
			d->pos = 0;
			pthread_cond_signal(&d->not_full);
		}
	}
	pthread_mutex_unlock(&d->mu);
	if (rc)
		trace_msg(msg, msgsz, "%s", d->msg);
	if (rc || *eof)
		dec_end(in);
	return rc;
}

/* Move the unread text to the front of the window and add more after it. */
static int fill(struct trace_input *in, char *msg, size_t msgsz)
{
	size_t before;
	int rc = 0;

	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	before = in->end;
	if (in->zip != TRACE_ZIP_NONE) {
		size_t got = 0;
		bool eof = false;

		if (in->dec || (!in->dec_failed && in->dec_init && dec_start(in)))
			rc = dec_take(in, in->buf + in->end, in->cap - in->end, &got, &eof, msg, msgsz);
		else
			rc = decode(in, in->buf + in->end, in->cap - in->end, &got, &eof, msg, msgsz);
		in->end += got;
		in->text_eof = eof;
	} else {
		ssize_t got = src_read(in, in->buf + in->end, in->cap - in->end);

		if (got < 0) {
			trace_msg(msg, msgsz, "input: read: %s", strerror(errno));
			return -SIM_EFAIL;
		}
		if (got == 0)
			in->text_eof = true;
		in->end += (size_t)got;
	}
	in->nr_text += in->end - before;
	return rc;
}

/* Name the formats we recognise but do not read; NULL for text. */
static const char *foreign_format(const unsigned char *b, size_t n)
{
	if (n >= 10 && b[0] == 0x17 && b[1] == 0x08 && b[2] == 0x44 && !memcmp(b + 3, "tracing", 7))
		return "a trace-cmd trace.dat file (run `trace-cmd report` on it and read its output)";
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
		return "zstd-compressed data (decompress it, or recompress with xz or gzip)";
	if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9')
		return "bzip2-compressed data (decompress it, or recompress with xz or gzip)";
	if (n >= 4 && b[0] == 0x04 && b[1] == 0x22 && b[2] == 0x4d && b[3] == 0x18)
		return "lz4-compressed data (decompress it, or recompress with xz or gzip)";
	if (n > 0 && memchr(b, 0, n < 4096 ? n : 4096))
		return "binary data (a NUL byte in the first 4 KiB)";
	return NULL;
}

static enum trace_zip zip_of(const unsigned char *b, size_t n)
{
	static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return TRACE_ZIP_GZIP;
	if (n >= 6 && !memcmp(b, xz_magic, 6))
		return TRACE_ZIP_XZ;
	return TRACE_ZIP_NONE;
}

/* Set up the decoder for in->zip; the first compressed bytes are at next[0, avail). */
static int start_decoder(struct trace_input *in, const unsigned char *next, size_t avail,
			 char *msg, size_t msgsz)
{
	in->buf = malloc(WINDOW);
	if (!in->buf)
		goto nomem;
	in->own_buf = true;
	in->cap = WINDOW;
	if (in->zip == TRACE_ZIP_GZIP) {
		memset(&in->gz, 0, sizeof(in->gz));
		if (inflateInit2(&in->gz, 15 + 16) != Z_OK)
			goto nomem;
		in->gz.next_in = (unsigned char *)next;
		in->gz.avail_in = (uInt)avail;
	} else {
		lzma_stream init = LZMA_STREAM_INIT;

		in->xz = init;
		if (lzma_stream_decoder(&in->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
			goto nomem;
		in->xz.next_in = next;
		in->xz.avail_in = avail;
	}
	in->dec_init = true;
	return 0;
nomem:
	trace_msg(msg, msgsz, "input: out of memory");
	return SIM_EFAIL;
}

static struct trace_input *input_new(void)
{
	struct trace_input *in = calloc(1, sizeof(*in));

	if (in)
		in->fd = -1;
	return in;
}

int trace_input_open_fd(struct trace_input **out, int fd, bool own_fd, char *msg, size_t msgsz)
{
	struct trace_input *in = input_new();
	const char *foreign;
	ssize_t got;
	int rc = SIM_EFAIL;

	*out = NULL;
	if (!in) {
		trace_msg(msg, msgsz, "input: out of memory");
		if (own_fd)
			close(fd);
		return SIM_EFAIL;
	}
	in->fd = fd;
	in->own_fd = own_fd;
	in->cbuf = malloc(CBUF);
	if (!in->cbuf) {
		trace_msg(msg, msgsz, "input: out of memory");
		goto fail;
	}
	/* The first bytes say what the source holds. */
	got = src_read_atleast(in, in->cbuf, CBUF, 16);
	if (got < 0) {
		trace_msg(msg, msgsz, "input: read: %s", strerror(errno));
		goto fail;
	}
	in->zip = zip_of(in->cbuf, (size_t)got);
	foreign = in->zip == TRACE_ZIP_NONE ? foreign_format(in->cbuf, (size_t)got) : NULL;
	if (foreign) {
		trace_msg(msg, msgsz, "input: expected ftrace text, got %s", foreign);
		rc = SIM_EBADINPUT;
		goto fail;
	}
	if (in->zip != TRACE_ZIP_NONE) {
		rc = start_decoder(in, in->cbuf, (size_t)got, msg, msgsz);
		if (rc)
			goto fail;
	} else {
		/* Text: the bytes read so far are the start of the window. */
		in->buf = malloc(WINDOW);
		if (!in->buf) {
			trace_msg(msg, msgsz, "input: out of memory");
			goto fail;
		}
		in->own_buf = true;
		in->cap = WINDOW;
		memcpy(in->buf, in->cbuf, (size_t)got);
		in->end = (size_t)got;
		in->nr_text = (size_t)got;
		in->text_eof = in->src_eof;
		free(in->cbuf);
		in->cbuf = NULL;
	}
	*out = in;
	return 0;
fail:
	trace_input_close(in);
	return rc;
}

int trace_input_open_mem(struct trace_input **out, const void *data, size_t len, char *msg, size_t msgsz)
{
	struct trace_input *in = input_new();
	const char *foreign;
	int rc;

	*out = NULL;
	if (!in) {
		trace_msg(msg, msgsz, "input: out of memory");
		return SIM_EFAIL;
	}
	in->mem = data;
	in->mem_len = len;
	in->zip = zip_of(in->mem, len);
	foreign = in->zip == TRACE_ZIP_NONE ? foreign_format(in->mem, len) : NULL;
	if (foreign) {
		trace_msg(msg, msgsz, "input: expected ftrace text, got %s", foreign);
		trace_input_close(in);
		return SIM_EBADINPUT;
	}
	if (in->zip != TRACE_ZIP_NONE) {
		in->mem_pos = len;
		in->src_eof = true;
		rc = start_decoder(in, in->mem, len, msg, msgsz);
		if (rc) {
			trace_input_close(in);
			return rc;
		}
	} else {
		/* Plain text in memory: lines are read in place. */
		in->buf = (char *)(uintptr_t)in->mem;
		in->cap = in->end = len;
		in->nr_text = len;
		in->src_eof = in->text_eof = true;
	}
	*out = in;
	return 0;
}

void trace_input_close(struct trace_input *in)
{
	if (!in)
		return;
	dec_end(in);		/* before the decoder's state goes */
	if (in->dec_init && in->zip == TRACE_ZIP_GZIP)
		inflateEnd(&in->gz);
	if (in->dec_init && in->zip == TRACE_ZIP_XZ)
		lzma_end(&in->xz);
	if (in->own_buf)
		free(in->buf);
	free(in->cbuf);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	free(in);
}

enum trace_zip trace_input_zip(const struct trace_input *in)
{
	return in->zip;
}

bool trace_input_empty(const struct trace_input *in)
{
	return in->nr_text == 0;
}

/* Hand out buf[start, nl) as a line and step past the '\n'. */
static int take_line(struct trace_input *in, const char *nl, const char **line, size_t *len)
{
	const char *p = in->buf + in->start;
	size_t n = (size_t)(nl - p);

	in->start = (size_t)(nl - in->buf) + (nl < in->buf + in->end);
	if (in->skipping || n > TRACE_MAX_LINE) {
		in->skipping = false;
		*line = p;
		*len = 0;
		return TRACE_LINE_TOO_LONG;
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	*line = p;
	*len = n;
	return 1;
}

int trace_input_getline(struct trace_input *in, const char **line, size_t *len, char *msg, size_t msgsz)
{
	for (;;) {
		const char *p = in->buf + in->start;
		const char *nl = memchr(p, '\n', in->end - in->start);
		int rc;

		if (likely(nl != NULL))
			return take_line(in, nl, line, len);
		if (in->text_eof) {
			if (in->start == in->end && !in->skipping)
				return 0;
			return take_line(in, in->buf + in->end, line, len);	/* last line, no '\n' */
		}
		if (in->end - in->start > TRACE_MAX_LINE) {
			in->skipping = true;		/* drop the over-long line's bytes */
			in->start = in->end;
		}
		rc = fill(in, msg, msgsz);
		if (rc)
			return rc;
	}
}
