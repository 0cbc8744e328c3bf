/*
 * outfmt.h - one writer for the commands' --format table|csv|json output.
 *
 * A command opens a document on a stream, writes one or more tables (columns
 * named up front, then cells in order, one row at a time) and closes it:
 *
 *   table  each table under its title line, columns aligned (numbers right,
 *          text left, two spaces between, no trailing blanks, NULL as "-");
 *          tables separated by a blank line.  Buffered until out_table_end.
 *   csv    each table's header line and rows (RFC 4180 quoting: a field with
 *          a comma, a quote, CR or LF is quoted, quotes doubled; "\n" line
 *          ends; NULL as an empty field); tables separated by a blank line,
 *          so a single table is bare CSV.  No title.
 *   json   one object {"table_name": [ {"col": v, ...}, ... ], ...}, a row per
 *          line; strings escaped (control characters as \uXXXX or \n etc.,
 *          invalid UTF-8 as U+FFFD), NULL and non-finite reals as null.
 *
 * CSV and JSON are written as the cells come (memory flat in the rows).
 * Misuse (a cell beyond ncols, a row with too few cells) is a bug: the cell
 * is dropped or the row padded with NULLs, and out_doc_end returns -1.
 */
#ifndef KMEMSIM_SIM_CLI_OUTFMT_H
#define KMEMSIM_SIM_CLI_OUTFMT_H

#include <stdio.h>

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

/* "table", "csv" or "json" -> *f; returns 0, or -1 on another word (caller prints the error). */
int out_format_parse(const char *arg, enum out_format *f);

struct out_doc;

struct out_doc *out_doc_begin(FILE *f, enum out_format fmt);	/* NULL when out of memory */
int out_doc_end(struct out_doc *d);	/* flushes and frees; 0, or -1 on a write error or misuse */

void out_table_begin(struct out_doc *d, const char *name, const char *title, int ncols,
		     const char *const cols[]);		/* name: JSON key; title: table mode's heading (NULL: none) */
void out_cell_int(struct out_doc *d, long long v);
void out_cell_real(struct out_doc *d, double v, int decimals);	/* JSON: a number; CSV/table: %.{decimals}f */
void out_cell_text(struct out_doc *d, const char *s);		/* JSON-escaped / CSV-quoted as needed */
void out_cell_null(struct out_doc *d);				/* table "-", csv empty, json null */
void out_row_end(struct out_doc *d);
void out_table_end(struct out_doc *d);

#endif
