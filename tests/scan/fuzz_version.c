/*
 * fuzz_version.c - version ordering and port lists on arbitrary bytes: the
 * input is split at its first NUL into two versions, compared under every
 * scheme (antisymmetry must hold), and parsed as a --ports specification.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/common.h"
#include "csirt/scan_net.h"
#include "csirt/scan_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data, *nul = memchr(data, '\0', size);
	size_t alen = nul ? (size_t)(nul - a) : size;
	const char *b = nul ? nul + 1 : "";
	size_t blen = nul ? size - alen - 1 : 0;
	struct port_set *ps;
	char spec[256];

	for (int s = VERSION_DPKG; s <= VERSION_UPSTREAM; s++) {
		int x = version_compare((enum version_scheme)s, a, alen, b, blen);
		int y = version_compare((enum version_scheme)s, b, blen, a, alen);

		if ((x > 0) != (y < 0) || (x == 0) != (y == 0))
			__builtin_trap();
	}
	ps = malloc(sizeof(*ps));
	if (ps != NULL && alen < sizeof(spec)) {
		memcpy(spec, a, alen);
		spec[alen] = '\0';
		portspec_parse(spec, ps, NULL);
	}
	free(ps);
	return 0;
}
