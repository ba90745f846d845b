# shellcheck shell=bash
# The AppCDS training run that scripts/install.sh and scripts/build-image.sh share: the classes a daemon start with
# a few RPCs loads, and those of the CLI commands a node runs most.
#
#   cds_train JAR DIR FLAG...   starts JAR's daemon in DIR with the JVM flags FLAG... (what it records: an archive
#                               written at exit, or a class list), waits until it serves, runs `version`, `images`,
#                               `imagefsinfo` and `volumes` against it and a `pack` into an OCI layout, each listing the
#                               classes it loads, into the one sorted DIR/cli.classlist, then stops the daemon and
#                               waits for it (an archive of
#                               -XX:ArchiveClassesAtExit is written as it exits). CDS_TRAIN_PID is the daemon's pid
#                               while it runs, for the caller's EXIT trap.
cds_train() {
  local jar=$1 dir=$2 cmd
  shift 2
  java "$@" -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" daemon --root "$dir/root" \
    --state-dir "$dir/run" --config "$dir/none.toml" >"$dir/daemon.log" 2>&1 &
  CDS_TRAIN_PID=$!
  for _ in $(seq 300); do
    grep -q "serving on" "$dir/daemon.log" 2>/dev/null && break
    if ! kill -0 "$CDS_TRAIN_PID" 2>/dev/null; then
      echo "AppCDS training: the daemon stopped:" >&2
      cat "$dir/daemon.log" >&2
      return 1
    fi
    sleep 0.05
  done
  # one list for every command: an ArchiveClassesAtExit run per command would keep only the last command's classes
  for cmd in version images imagefsinfo volumes; do
    java -XX:DumpLoadedClassList="$dir/$cmd.classlist" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -jar "$jar" --socket "$dir/run/ocimount.sock" "$cmd" >/dev/null
  done
  # and a pack into an OCI layout, of one file that compresses and one that does not (no daemon needed)
  mkdir -p "$dir/pack-src/sub"
  head -c 65536 /dev/urandom >"$dir/pack-src/sub/random.bin"
  seq 1 20000 >"$dir/pack-src/numbers.txt"
  java -XX:DumpLoadedClassList="$dir/pack.classlist" -XX:+UseSerialGC -jar "$jar" pack "$dir/pack-src" \
    --tag cds-training/pack:v1 --oci-layout "$dir/layout" --config "$dir/none.toml" >/dev/null
  sort -u "$dir"/{version,images,imagefsinfo,volumes,pack}.classlist >"$dir/cli.classlist"
  kill -TERM "$CDS_TRAIN_PID"
  wait "$CDS_TRAIN_PID" 2>/dev/null || true
  CDS_TRAIN_PID=
}
