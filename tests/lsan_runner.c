/*
 * lsan_runner.c - LeakSanitizer's verdict on a suite: the tests', not Criterion's.
 *
 * Criterion runs each test in a worker process (BoxFort execs the suite again with
 * BXFI_MAP set) and keeps 48 bytes per suite in its own runner, which it never frees.
 * LeakSanitizer asks this hook at exit: off in the runner, on in every worker, so a
 * test that leaks (or a model it drives) still fails the sanitized suite.  Linked into
 * every suite; unused without -fsanitize=address.
 */
#include <stdlib.h>

int __lsan_is_turned_off(void);

int __lsan_is_turned_off(void)
{
	return getenv("BXFI_MAP") == NULL;
}
