#!/usr/bin/env python3
"""Prints the README's table of Debian packages from scripts/packages/*.txt:
each package with the comment that says what it is for (the comment on its
line, or the comment block above it). `--check README.md` exits 1 when the
README's table differs (tests/unit: packages_listed)."""
import glob
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def table():
    rows = {}
    for path in sorted(glob.glob(os.path.join(root, 'scripts/packages/*.txt'))):
        why, after_package = '', False
        for line in open(path, encoding='utf-8'):
            line = line.strip()
            if not line:
                continue
            if line.startswith('#'):
                # A comment block says what the packages below it are for,
                # until the next block.
                text = line.lstrip('#').strip()
                why = text if after_package or not why else why + ' ' + text
                after_package = False
                continue
            after_package = True
            name, _, comment = line.partition('#')
            name = name.strip()
            reason = comment.strip() or why
            rows.setdefault(name, [])
            if reason and reason not in rows[name]:
                rows[name].append(reason)
    out = ['| package | what for |', '|---|---|']
    for name in sorted(rows):
        out.append('| %s | %s |' % (name, '; '.join(rows[name]).replace('|', '/')))
    return '\n'.join(out) + '\n'


def main():
    t = table()
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        readme = open(sys.argv[2], encoding='utf-8').read()
        if t not in readme:
            sys.stderr.write('README.md: the package table is not the one scripts/packages/*.txt give;\n'
                             'run: python3 scripts/packages-table.py and paste it\n')
            return 1
        return 0
    sys.stdout.write(t)
    return 0


if __name__ == '__main__':
    sys.exit(main())
