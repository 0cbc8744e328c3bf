/*
 * test_outfmt.c - the --format writer (sim/cli/outfmt.h) byte for byte:
 * table alignment and NULL, CSV quoting and table separation, JSON escaping
 * (quotes, control characters, invalid UTF-8), null and non-finite reals,
 * and misuse reported by out_doc_end.
 *
 * Strategy: write a small two-table document to a memory stream in each
 * format and compare the whole text with the expected bytes.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/outfmt.h"

static const char *const cols2[] = { "cache", "allocs", "share" };
static const char *const cols1[] = { "text" };

/* The same document in any format; returns out_doc_end's result, *out the text. */
static int write_doc(enum out_format fmt, char **out)
{
	size_t len;
	FILE *f = open_memstream(out, &len);
	struct out_doc *d;
	int rc;

	cr_assert(not(eq(ptr, f, NULL)));
	d = out_doc_begin(f, fmt);
	cr_assert(not(eq(ptr, d, NULL)));
	out_table_begin(d, "caches", "caches by operations:", 3, cols2);
	out_cell_text(d, "kmalloc-64");
	out_cell_int(d, 1193);
	out_cell_real(d, 12.346, 2);
	out_row_end(d);
	out_cell_text(d, "a,\"b\"");
	out_cell_int(d, -7);
	out_cell_null(d);
	out_row_end(d);
	out_table_end(d);
	out_table_begin(d, "marks", NULL, 1, cols1);
	out_cell_text(d, "tab\there \"q\" back\\ nl\n\x01 \xc3\xa9 \xff");
	out_row_end(d);
	out_table_end(d);
	rc = out_doc_end(d);
	fclose(f);
	return rc;
}

Test(outfmt, parse)
{
	enum out_format f = OUT_TABLE;

	cr_assert(eq(int, out_format_parse("json", &f), 0));
	cr_assert(eq(int, f, OUT_JSON));
	cr_assert(eq(int, out_format_parse("csv", &f), 0));
	cr_assert(eq(int, f, OUT_CSV));
	cr_assert(eq(int, out_format_parse("table", &f), 0));
	cr_assert(eq(int, f, OUT_TABLE));
	cr_assert(eq(int, out_format_parse("JSON", &f), -1));
	cr_assert(eq(int, out_format_parse("", &f), -1));
	cr_assert(eq(int, f, OUT_TABLE));
}

Test(outfmt, table)
{
	char *out;

	cr_assert(eq(int, write_doc(OUT_TABLE, &out), 0));
	cr_assert(eq(str, out,
		"caches by operations:\n"
		"cache       allocs  share\n"
		"kmalloc-64    1193  12.35\n"
		"a,\"b\"           -7      -\n"
		"\n"
		"text\n"
		"tab\there \"q\" back\\ nl\n\x01 \xc3\xa9 \xff\n"));
	free(out);
}

Test(outfmt, csv)
{
	char *out;

	cr_assert(eq(int, write_doc(OUT_CSV, &out), 0));
	cr_assert(eq(str, out,
		"cache,allocs,share\n"
		"kmalloc-64,1193,12.35\n"
		"\"a,\"\"b\"\"\",-7,\n"
		"\n"
		"text\n"
		"\"tab\there \"\"q\"\" back\\ nl\n\x01 \xc3\xa9 \xff\"\n"));
	free(out);
}

Test(outfmt, json)
{
	char *out;

	cr_assert(eq(int, write_doc(OUT_JSON, &out), 0));
	cr_assert(eq(str, out,
		"{\n"
		"  \"caches\": [\n"
		"    {\"cache\": \"kmalloc-64\", \"allocs\": 1193, \"share\": 12.35},\n"
		"    {\"cache\": \"a,\\\"b\\\"\", \"allocs\": -7, \"share\": null}\n"
		"  ],\n"
		"  \"marks\": [\n"
		"    {\"text\": \"tab\\there \\\"q\\\" back\\\\ nl\\n\\u0001 \xc3\xa9 \\ufffd\"}\n"
		"  ]\n"
		"}\n"));
	free(out);
}

/* A single CSV table is bare CSV; an empty JSON table is []; NaN is null in JSON. */
Test(outfmt, single_and_empty)
{
	static const char *const c[] = { "x" };
	char *out;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct out_doc *d = out_doc_begin(f, OUT_CSV);

	out_table_begin(d, "t", "title", 1, c);
	out_cell_real(d, 0.5, 1);
	out_row_end(d);
	out_table_end(d);
	cr_assert(eq(int, out_doc_end(d), 0));
	fclose(f);
	cr_assert(eq(str, out, "x\n0.5\n"));
	free(out);

	f = open_memstream(&out, &len);
	d = out_doc_begin(f, OUT_JSON);
	out_table_begin(d, "empty", NULL, 1, c);
	out_table_end(d);
	out_table_begin(d, "t", NULL, 1, c);
	out_cell_real(d, NAN, 2);
	out_row_end(d);
	out_table_end(d);
	cr_assert(eq(int, out_doc_end(d), 0));
	fclose(f);
	cr_assert(eq(str, out, "{\n  \"empty\": [],\n  \"t\": [\n    {\"x\": null}\n  ]\n}\n"));
	free(out);

	f = open_memstream(&out, &len);
	d = out_doc_begin(f, OUT_JSON);
	cr_assert(eq(int, out_doc_end(d), 0));
	fclose(f);
	cr_assert(eq(str, out, "{}\n"));
	free(out);
}

/* A row with too few or too many cells is misuse: the layout holds, out_doc_end says -1. */
Test(outfmt, misuse)
{
	char *out;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct out_doc *d = out_doc_begin(f, OUT_CSV);

	out_table_begin(d, "t", NULL, 3, cols2);
	out_cell_text(d, "only");
	out_row_end(d);
	out_cell_int(d, 1);
	out_cell_int(d, 2);
	out_cell_int(d, 3);
	out_cell_int(d, 4);
	out_row_end(d);
	out_table_end(d);
	cr_assert(eq(int, out_doc_end(d), -1));
	fclose(f);
	cr_assert(eq(str, out, "cache,allocs,share\nonly,,\n1,2,3\n"));
	free(out);
}
