/*
 * checks_common.h - what the checker tests (test_slub_checks.c,
 * test_slab_checks.c) share: a checker's report captured in memory, and the
 * verdicts expected of it.
 */
#ifndef KMEMSIM_TESTS_CHECKS_COMMON_H
#define KMEMSIM_TESTS_CHECKS_COMMON_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A checker's report, captured. */
struct report {
	char *text;
	size_t len;
	FILE *f;
};

static inline FILE *report_open(struct report *r)
{
	r->text = NULL;
	r->len = 0;
	r->f = open_memstream(&r->text, &r->len);
	cr_assert(ne(ptr, (void *)r->f, NULL));
	return r->f;
}

/* The checker's verdict `ok` was false and its report names `what`. */
static inline void expect_found(struct report *r, bool ok, const char *what)
{
	fclose(r->f);
	cr_expect(not(ok), "the checker missed: %s", what);
	cr_expect(ne(ptr, (void *)strstr(r->text ? r->text : "", what), NULL), "report lacks \"%s\": %s", what,
		  r->text ? r->text : "");
	free(r->text);
}

static inline void expect_clean(struct report *r, bool ok)
{
	fclose(r->f);
	cr_expect(ok, "the checker reports a repaired state: %s", r->text ? r->text : "");
	free(r->text);
}

/* `stmt_break` makes the corruption, `check(FILE *)` must find `what`; `stmt_fix` repairs it
 * and the check passes again. */
#define CHECK_FOUND(check, stmt_break, stmt_fix, what) do { \
	struct report r_; \
	stmt_break; \
	expect_found(&r_, check(report_open(&r_)), what); \
	stmt_fix; \
	expect_clean(&r_, check(report_open(&r_))); \
} while (0)

#endif
