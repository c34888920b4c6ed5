/*
 * common.h - included first by every csirt .c file: feature macros come from
 * the build (-D_GNU_SOURCE), this pulls the shared types and, last, the list
 * of banned functions.
 */
#ifndef CSIRT_COMMON_H
#define CSIRT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/buf.h"
#include "csirt/log.h"
#include "csirt/util.h"

#endif
