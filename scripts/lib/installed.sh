# shellcheck shell=bash
# Sourced by the benchmarks: installs ocimount under a scratch prefix with scripts/install.sh (DESTDIR, so the AppCDS
# archives are trained as on a node) and sets the commands a node runs, with the prefix's paths:
#   DAEMON  the unit's ExecStart java command line (its JVM flags are what users run) with its LANG, without its
#           daemon arguments
#   CLI     the installed `ocimount` wrapper's command line for every command but pack
#   PACK    the same for pack (the wrapper lets it use C2)
# Usage: installed PREFIX
installed() {
  local prefix=$1
  DESTDIR=$prefix bash scripts/install.sh >/dev/null
  local exec
  exec=$(sed -n 's/^ExecStart=//p' "$prefix/etc/systemd/system/ocimount.service")
  exec=${exec%% daemon *}                                   # the JVM and its flags, up to the jar
  DAEMON=env\ LANG=C.UTF-8\ $(printf '%s' "$exec" | sed "s#/usr/lib/ocimount#$prefix/usr/lib/ocimount#g; s#/var/lib/ocimount/tmp#$prefix/tmp#g")
  mkdir -p "$prefix/tmp"
  local line
  line=$(sed -n '/^exec /,$p' "$prefix/usr/local/bin/ocimount" | tr -d '\\\n' | sed 's/^exec //; s/"\$@"//; s/  */ /g' \
    | sed "s#/usr/lib/ocimount#$prefix/usr/lib/ocimount#g")
  CLI=${line//\$tier/1}
  PACK=${line//\$tier/4}
  export DAEMON CLI PACK
}
