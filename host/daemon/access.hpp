// Who may do what over the management socket (DESIGN.md section 4).
// The kernel tells the daemon the peer's uid (SO_PEERCRED); the uid's
// groups in the group database give the role:
//   admin     uid 0, the daemon's own uid, or a member of mplsec-admin
//   operator  a member of mplsec-operator
//   viewer    everyone else
// A group that does not exist grants nothing.
#pragma once

#include <sys/types.h>

#include <string>

namespace mplsec::daemon {

enum class Role { viewer = 0, operator_ = 1, admin = 2 };

inline constexpr const char* kAdminGroup = "mplsec-admin";
inline constexpr const char* kOperatorGroup = "mplsec-operator";

struct Caller {
    uid_t uid = 0;
    pid_t pid = 0;
    Role role = Role::viewer;
};

const char* to_string(Role role);

// True when `role` may do what `needed` may.
inline bool covers(Role role, Role needed) { return static_cast<int>(role) >= static_cast<int>(needed); }

Role role_of_uid(uid_t uid);

// The peer of a connected Unix socket, with its role. Throws
// std::system_error when the kernel will not say.
Caller caller_of_socket(int fd);

}  // namespace mplsec::daemon
