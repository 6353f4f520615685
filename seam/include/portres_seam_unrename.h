/* portres_seam_unrename.h: withdraws the seam's renaming of socket() in a C++ file that also
 * includes portres's own headers (included from <portres/winsock.h>; see portres_seam_sdk.h). */
#undef socket
#undef PORTRES_SEAM_RENAMES
