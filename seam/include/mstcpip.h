/* mstcpip.h, as portres::seam provides it off Windows: the Winsock vocabulary of
 * <portres/winsock.h> and the seam's functions (see portres_seam_sdk.h). */
#include <portres_seam_sdk.h>
