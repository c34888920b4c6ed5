#include "csirt/embedded.h"

#include <string.h>

const struct embedded_file *
embedded_find(const char *name)
{
	/* A few hundred entries at most: a linear scan costs less than a hash. */
	for (size_t i = 0; i < embedded_file_count; i++)
		if (strcmp(embedded_files[i].name, name) == 0)
			return &embedded_files[i];
	return NULL;
}
