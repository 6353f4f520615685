# Doxygen input filter for portres's public headers (docs/Doxyfile.in, FILTER_PATTERNS).
#
# The headers are written with plain // comments, as the rest of the code is.
# Doxygen reads only ///, //!, /** and /*! as documentation, so this turns the comments that
# document something into /// before Doxygen parses them, keeping every line where it is
# (warnings point at the right line of the real header):
#   - the opening comment block of a file documents the file (\file);
#   - a comment on lines of its own documents the declaration that follows it;
#   - a comment after a declaration on the same line documents that declaration (///<).
# Left alone: tool directives (clang-format, NOLINT), separator rules, and comments after
# preprocessor lines such as #endif.

# A comment line indented deeper than the declaration before it, which carried a trailing
# comment, continues that comment (the hold space remembers the declaration's indentation).
/^[[:space:]]*\/\/ /{
  G
  /^([[:space:]]*)[[:space:]]+\/\/[^\n]*\nT\1$/{
    s/\n.*//
    s#^([[:space:]]*)// ?#\1///< #
    b
  }
  s/\n.*//
}
# Any other line ends it.
x
s/.*//
x

# Already documentation: leave it.
/^[[:space:]]*\/\/[\/!]/b

# Tool directives and separators are not documentation.
/^[[:space:]]*\/\/[[:space:]]*(clang-format|NOLINT|IWYU|-{4,})/b

# Doxygen 1.9.4 reads `::Name` and `#name` as explicit link requests even inside a code span,
# and warns when Name is not documented here (Winsock's own functions are not). As HTML
# teletype with the markers escaped they look the same and link nowhere.
/\/\//s#`(::|\#)([^`]*)`#<tt>\\\1\2</tt>#g
# Header names in prose ("see <portres/fault.h>") would read as HTML tags.
2,${ /\/\//s#<(portres/[^>]*|[a-z0-9_]+\.h)>#\\<\1\\>#g
}
# (Clear the substitution flag, so that the `t` commands below see only their own.)
t spans_done
:spans_done

# The file's opening block documents the file. Its first line names the header
# ("// <portres/fault.h>: what a test can ..."); the name goes, since Doxygen titles the page
# with it, and \file goes at the end of the line, where it takes no argument.
1{
  /^\/\//{
    s#^// ?(<[^>]*>:[[:space:]]*)?(.*)$#/// \2 \\file#
    b
  }
}
# Code examples in comments (indented three or more spaces) become Markdown code blocks.
s#^([[:space:]]*)//   #\1///       #
t
# Comment lines of their own.
s#^([[:space:]]*)// ?(.*)$#\1/// \2#
t

# Trailing comments after a declaration or an enumerator (not after #directives, and not tool
# directives such as NOLINT).
/^[[:space:]]*#/b
/\/\/[[:space:]]*NOLINT/b
/^([^/"]*[;,{])([[:space:]]+)\/\/ /{
  s#^([^/"]*[;,{])([[:space:]]+)// #\1\2///< #
  h
  x
  s/^([[:space:]]*).*/T\1/
  x
}
