#!/usr/bin/env bash
# Installs ocimount as a systemd service on this node, as root:
#   /usr/lib/ocimount/ocimount.jar      the daemon and CLI
#   /usr/lib/ocimount/ocimount.jsa      AppCDS archive of the daemon (faster start to READY)
#   /usr/lib/ocimount/ocimount-cli.jsa  AppCDS archive of the CLI
#   /usr/local/bin/ocimount             the CLI (a wrapper that uses the CLI archive)
#   /etc/systemd/system/ocimount.service, /etc/ocimount/config.toml (kept if present), /etc/ocimount/certs.d/
# then enables and (re)starts the service when systemd runs. DESTDIR=/some/dir installs under that directory
# instead and touches no service (used by the tests). Needs Java 17 at /usr/bin/java (openjdk-17-jre-headless).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${DESTDIR:-}
lib=$dest/usr/lib/ocimount
[ -f target/ocimount.jar ] || mvn -B -q -ntp package -DskipTests
# the unit's -XX:TrimNativeHeapInterval came with JDK 17.0.9: an older JVM would refuse to start the service
# (the unit runs /usr/bin/java, whatever java PATH finds first)
if [ ! -x /usr/bin/java ]; then
  echo "install: /usr/bin/java is missing: apt-get install -y openjdk-17-jre-headless" >&2
  exit 1
fi
if ! /usr/bin/java -XX:TrimNativeHeapInterval=0 -version >/dev/null 2>&1; then
  echo "install: $(/usr/bin/java -version 2>&1 | head -1) is too old: the unit needs Java 17.0.9 or later" >&2
  exit 1
fi
install -D -m 0644 target/ocimount.jar "$lib/ocimount.jar"   # a new inode: a running daemon keeps its own copy

# AppCDS: a training run records the classes a start and a few RPCs load; later starts map them from the archive.
# The archives must be made again whenever the jar or the JDK changes (the JVM ignores a stale one, with a warning).
train=$(mktemp -d /tmp/ocimount-cds.XXXXXX)
trap 'kill "${CDS_TRAIN_PID:-}" 2>/dev/null || true; rm -rf "$train"' EXIT
# shellcheck source=scripts/lib/cds-training.sh
. scripts/lib/cds-training.sh
# the daemon's archive is written as the training daemon exits; the CLI's is one static dump of the commands' classes
cds_train "$lib/ocimount.jar" "$train" -XX:ArchiveClassesAtExit="$lib/ocimount.jsa"
java -Xshare:dump -XX:SharedClassListFile="$train/cli.classlist" -XX:SharedArchiveFile="$lib/ocimount-cli.jsa" \
  -XX:+UseSerialGC -Xlog:cds=off -cp "$lib/ocimount.jar" >/dev/null
if [ ! -s "$lib/ocimount.jsa" ] || [ ! -s "$lib/ocimount-cli.jsa" ]; then echo "install: AppCDS training failed" >&2; exit 1; fi

install -D -m 0755 /dev/stdin "$dest/usr/local/bin/ocimount" <<'SH'
#!/bin/sh
# The ocimount CLI; the archive makes its JVM start in about half the time. Commands run on the C1 compiler alone,
# which starts sooner, except pack: seconds of compression and hashing that C1's code takes twice as long over.
tier=1
skip=
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case "$a" in
    --socket|-o|--output) skip=1 ;;
    -*) ;;
    pack) tier=4; break ;;
    *) break ;;
  esac
done
exec /usr/bin/java -XX:SharedArchiveFile=/usr/lib/ocimount/ocimount-cli.jsa -Xshare:auto -Xlog:cds=off \
  -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=$tier -XX:+UseSerialGC -jar /usr/lib/ocimount/ocimount.jar "$@"
SH
install -D -m 0644 systemd/ocimount.service "$dest/etc/systemd/system/ocimount.service"
install -d -m 0755 "$dest/etc/ocimount" "$dest/etc/ocimount/certs.d"
[ -f "$dest/etc/ocimount/config.toml" ] || install -m 0644 systemd/config.toml "$dest/etc/ocimount/config.toml"
install -D -m 0644 README.md "$dest/usr/share/doc/ocimount/README.md"

if [ -z "$dest" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable ocimount.service
  systemctl restart ocimount.service   # Type=notify: returns once the daemon said READY=1
  systemctl --no-pager status ocimount.service | head -5
else
  echo "installed under ${dest:-/}; systemd is not running here, so the service was not started"
fi
