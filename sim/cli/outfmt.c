/*
 * outfmt.c - the --format table|csv|json writer (sim/cli/outfmt.h).
 *
 * One state machine for three layouts: out_table_begin opens a table, each
 * out_cell_* fills the next column of the current row, out_row_end closes
 * the row.  CSV and JSON go straight to the stream; table mode keeps each
 * cell's text (and whether its column holds text) until out_table_end,
 * when the column widths are known.  Errors (a write error, out of memory,
 * a cell count that does not match the columns) are remembered and
 * returned by out_doc_end; the writer never stops half way through a row.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "outfmt.h"

enum { OF_COL_EMPTY, OF_COL_NUMBER, OF_COL_TEXT };	/* what a table-mode column has held */

struct out_doc {
	FILE *f;
	enum out_format fmt;
	bool err;		/* a write error, out of memory or misuse */
	int nr_tables;		/* tables begun so far */
	/* the current table */
	bool in_table;
	int ncols;
	char **cols;		/* column names (copies) */
	char *title;		/* table mode's heading, NULL: none */
	int col;		/* next cell's column in the current row */
	bool row_open;		/* a cell of the current row was written */
	long nr_rows;		/* rows ended in the current table */
	/* table mode: the cells, row after row, and each column's kind */
	char **cells;
	size_t nr_cells, cap_cells;
	unsigned char *kind;
};

int out_format_parse(const char *arg, enum out_format *f)
{
	static const char *const names[] = { [OUT_TABLE] = "table", [OUT_CSV] = "csv", [OUT_JSON] = "json" };

	for (int i = 0; i < 3; i++) {
		if (arg && !strcmp(arg, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	}
	return -1;
}

static char *of_strdup(struct out_doc *d, const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c)
		d->err = true;
	return c;
}

/* ------------------------------------------------------------- escaping */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static int of_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	int n;
	unsigned char lo = 0x80, hi = 0xbf;	/* range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (c == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;		/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void of_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		unsigned char c = *s;
		int n;

		switch (c) {
		case '"': fputs("\\\"", f); s++; continue;
		case '\\': fputs("\\\\", f); s++; continue;
		case '\n': fputs("\\n", f); s++; continue;
		case '\r': fputs("\\r", f); s++; continue;
		case '\t': fputs("\\t", f); s++; continue;
		case '\b': fputs("\\b", f); s++; continue;
		case '\f': fputs("\\f", f); s++; continue;
		default: break;
		}
		if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			s++;
			continue;
		}
		n = of_utf8_len(s);
		if (!n) {
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		fwrite(s, 1, (size_t)n, f);
		s += n;
	}
	fputc('"', f);
}

/* A CSV field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
static void of_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* ------------------------------------------------------------- document */

struct out_doc *out_doc_begin(FILE *f, enum out_format fmt)
{
	struct out_doc *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->f = f;
	d->fmt = fmt;
	if (fmt == OUT_JSON)
		fputc('{', f);
	return d;
}

int out_doc_end(struct out_doc *d)
{
	int rc;

	if (!d)
		return -1;
	if (d->in_table) {
		d->err = true;		/* misuse: a table left open */
		out_table_end(d);
	}
	if (d->fmt == OUT_JSON)
		fputs(d->nr_tables ? "\n}\n" : "}\n", d->f);
	rc = fflush(d->f) || ferror(d->f) || d->err ? -1 : 0;
	free(d);
	return rc;
}

/* ---------------------------------------------------------------- table */

void out_table_begin(struct out_doc *d, const char *name, const char *title, int ncols,
		     const char *const cols[])
{
	if (d->in_table) {
		d->err = true;
		out_table_end(d);
	}
	d->in_table = true;
	d->ncols = ncols > 0 ? ncols : 0;
	d->col = 0;
	d->row_open = false;
	d->nr_rows = 0;
	d->cols = calloc((size_t)d->ncols + 1, sizeof(*d->cols));
	d->kind = calloc((size_t)d->ncols + 1, 1);
	if (!d->cols || !d->kind) {
		d->err = true;
		d->ncols = 0;
	}
	for (int i = 0; i < d->ncols; i++)
		d->cols[i] = of_strdup(d, cols[i]);
	switch (d->fmt) {
	case OUT_TABLE:
		if (d->nr_tables)
			fputc('\n', d->f);
		d->title = title ? of_strdup(d, title) : NULL;
		break;
	case OUT_CSV:
		if (d->nr_tables)
			fputc('\n', d->f);
		for (int i = 0; i < d->ncols; i++) {
			if (i)
				fputc(',', d->f);
			of_csv_field(d->f, d->cols[i] ? d->cols[i] : "");
		}
		fputc('\n', d->f);
		break;
	case OUT_JSON:
		fputs(d->nr_tables ? ",\n  " : "\n  ", d->f);
		of_json_string(d->f, name ? name : "");
		fputs(": [", d->f);
		break;
	}
	d->nr_tables++;
}

/* Table mode: keep one cell's text. */
static void of_keep(struct out_doc *d, const char *text, int kind)
{
	if (d->nr_cells == d->cap_cells) {
		size_t cap = d->cap_cells ? 2 * d->cap_cells : 64;
		char **c = realloc(d->cells, cap * sizeof(*c));

		if (!c) {
			d->err = true;
			return;
		}
		d->cells = c;
		d->cap_cells = cap;
	}
	d->cells[d->nr_cells++] = of_strdup(d, text);
	if (kind == OF_COL_TEXT || (kind == OF_COL_NUMBER && d->kind[d->col] == OF_COL_EMPTY))
		d->kind[d->col] = (unsigned char)kind;
}

/*
 * One cell: `text` as the table and CSV show it, `json` as JSON shows it
 * (NULL: a JSON string of `text`), `kind` its column kind in table mode
 * (OF_COL_EMPTY for NULL, which takes its column's alignment).
 */
static void of_cell(struct out_doc *d, const char *text, const char *json, int kind)
{
	if (!d->in_table || d->col >= d->ncols) {
		d->err = true;		/* misuse: a cell outside a table or past the last column */
		return;
	}
	switch (d->fmt) {
	case OUT_TABLE:
		of_keep(d, text, kind);
		break;
	case OUT_CSV:
		if (d->col)
			fputc(',', d->f);
		of_csv_field(d->f, text);
		break;
	case OUT_JSON:
		fputs(d->col ? ", " : (d->nr_rows ? ",\n    {" : "\n    {"), d->f);
		of_json_string(d->f, d->cols[d->col] ? d->cols[d->col] : "");
		fputs(": ", d->f);
		if (json)
			fputs(json, d->f);
		else
			of_json_string(d->f, text);
		break;
	}
	d->col++;
	d->row_open = true;
}

void out_cell_int(struct out_doc *d, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	of_cell(d, buf, buf, OF_COL_NUMBER);
}

void out_cell_real(struct out_doc *d, double v, int decimals)
{
	char buf[64];

	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	of_cell(d, buf, isfinite(v) ? buf : "null", OF_COL_NUMBER);
}

void out_cell_text(struct out_doc *d, const char *s)
{
	if (!s) {
		out_cell_null(d);
		return;
	}
	of_cell(d, s, NULL, OF_COL_TEXT);
}

void out_cell_null(struct out_doc *d)
{
	of_cell(d, d->fmt == OUT_CSV ? "" : "-", "null", OF_COL_EMPTY);
}

void out_row_end(struct out_doc *d)
{
	if (!d->in_table) {
		d->err = true;
		return;
	}
	if (d->col < d->ncols) {
		d->err = true;		/* misuse: a short row, padded so the layout holds */
		while (d->col < d->ncols)
			out_cell_null(d);
	}
	switch (d->fmt) {
	case OUT_TABLE:
		break;
	case OUT_CSV:
		fputc('\n', d->f);
		break;
	case OUT_JSON:
		fputs(d->row_open ? "}" : (d->nr_rows ? ",\n    {}" : "\n    {}"), d->f);
		break;
	}
	d->col = 0;
	d->row_open = false;
	d->nr_rows++;
}

/* Characters of a UTF-8 string (continuation bytes not counted), for alignment. */
static size_t of_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Table mode: one line of ncols texts, columns `width` wide, aligned by kind. */
static void of_print_line(struct out_doc *d, char *const *text, const size_t *width)
{
	for (int i = 0; i < d->ncols; i++) {
		const char *t = text[i] ? text[i] : "";
		size_t pad = width[i] - of_width(t);
		bool right = d->kind[i] == OF_COL_NUMBER;

		if (i)
			fputs("  ", d->f);
		if (right)
			fprintf(d->f, "%*s", (int)pad, "");
		fputs(t, d->f);
		if (!right && i < d->ncols - 1)
			fprintf(d->f, "%*s", (int)pad, "");
	}
	fputc('\n', d->f);
}

static void of_print_table(struct out_doc *d)
{
	size_t *width = calloc((size_t)d->ncols + 1, sizeof(*width));

	if (!width) {
		d->err = true;
		return;
	}
	for (int i = 0; i < d->ncols; i++)
		width[i] = of_width(d->cols[i] ? d->cols[i] : "");
	for (size_t c = 0; c < d->nr_cells; c++) {
		size_t w = d->cells[c] ? of_width(d->cells[c]) : 0;
		size_t i = c % (size_t)d->ncols;

		if (w > width[i])
			width[i] = w;
	}
	if (d->title)
		fprintf(d->f, "%s\n", d->title);
	of_print_line(d, d->cols, width);
	for (size_t c = 0; c + (size_t)d->ncols <= d->nr_cells; c += (size_t)d->ncols)
		of_print_line(d, d->cells + c, width);
	free(width);
}

void out_table_end(struct out_doc *d)
{
	if (!d->in_table) {
		d->err = true;
		return;
	}
	if (d->row_open) {
		d->err = true;		/* misuse: a row left open */
		out_row_end(d);
	}
	switch (d->fmt) {
	case OUT_TABLE:
		if (d->ncols)
			of_print_table(d);
		break;
	case OUT_CSV:
		break;
	case OUT_JSON:
		fputs(d->nr_rows ? "\n  ]" : "]", d->f);
		break;
	}
	for (size_t c = 0; c < d->nr_cells; c++)
		free(d->cells[c]);
	for (int i = 0; i < d->ncols; i++)
		free(d->cols[i]);
	free(d->cells);
	free(d->cols);
	free(d->kind);
	free(d->title);
	d->cells = NULL;
	d->cols = NULL;
	d->kind = NULL;
	d->title = NULL;
	d->nr_cells = d->cap_cells = 0;
	d->in_table = false;
}
