// What the seam's parts share: where no seam is installed.
#ifndef PORTRES_SEAM_SEAM_INTERNAL_H
#define PORTRES_SEAM_SEAM_INTERNAL_H

#include <portres/seam.h>

namespace portres {
namespace detail {

bool SeamInstalled() noexcept;

// Off Windows: a call with no seam installed. Sets the seam's own last error of this thread to
// `error` (WSAGetLastError reads it back) and, the first time in the process, says on stderr
// how to install one.
void Unseamed(const char* call, int error) noexcept;
int UnseamedLastError() noexcept;
void SetUnseamedLastError(int error) noexcept;

}  // namespace detail
}  // namespace portres

#endif  // PORTRES_SEAM_SEAM_INTERNAL_H
