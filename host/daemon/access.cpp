#include "access.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

namespace mplsec::daemon {
namespace {

// Every group of the user, primary included, from the group database (not
// the peer process's own list, which the peer could have shed or which
// may predate a change of membership).
std::vector<gid_t> groups_of(uid_t uid) {
    const passwd* pw = getpwuid(uid);
    if (!pw) return {};
    int count = 32;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    while (getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0)
        groups.resize(static_cast<std::size_t>(count));  // count now says how many there are
    groups.resize(static_cast<std::size_t>(count));
    return groups;
}

bool member_of(const std::vector<gid_t>& groups, const char* name) {
    const group* gr = getgrnam(name);
    return gr && std::find(groups.begin(), groups.end(), gr->gr_gid) != groups.end();
}

}  // namespace

const char* to_string(Role role) {
    switch (role) {
        case Role::admin: return "admin";
        case Role::operator_: return "operator";
        case Role::viewer: break;
    }
    return "viewer";
}

Role role_of_uid(uid_t uid) {
    // The daemon's own uid could already do anything the daemon does.
    if (uid == 0 || uid == geteuid()) return Role::admin;
    const std::vector<gid_t> groups = groups_of(uid);
    if (member_of(groups, kAdminGroup)) return Role::admin;
    if (member_of(groups, kOperatorGroup)) return Role::operator_;
    return Role::viewer;
}

Caller caller_of_socket(int fd) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        throw std::system_error(errno, std::generic_category(), "SO_PEERCRED");
    return Caller{cred.uid, cred.pid, role_of_uid(cred.uid)};
}

}  // namespace mplsec::daemon
