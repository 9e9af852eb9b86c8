#!/usr/bin/env bash
# Build the production image from ./Dockerfile and prove that it works:
#   1. the release step (migrate + setup_site) runs against a SQLite file in a fresh data dir,
#      twice, the second time as a no-op;
#   2. the image's own CMD serves, its own HEALTHCHECK passes, /healthz answers "ok" for any
#      Host, the home page renders and collected static files are served.
#
# It needs no Docker engine: buildah builds and runs the image (chroot isolation; overlay
# storage where the kernel allows it, else vfs; run as root). When python:3.11-slim-bookworm
# is not in local storage, a stand-in is made from Debian bookworm with debootstrap (Debian's
# python3.11, linked as /usr/local/bin/python like the official image) and kept, as is its
# root filesystem tarball, so later runs reuse it.
#
# Environment: TADRIB_IMAGE (tag to build, default localhost/tadrib:smoke),
# TADRIB_DOCKER_CACHE (where the stand-in tarball is kept), DEBIAN_MIRROR,
# TADRIB_STORAGE_DRIVER (overlay or vfs; see choose_storage), TADRIB_SMOKE_PRUNE (1, the
# default, removes untagged images after the build: see build_image).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

IMAGE=${TADRIB_IMAGE:-localhost/tadrib:smoke}
BASE_IMAGE=docker.io/library/python:3.11-slim-bookworm
CACHE_DIR=${TADRIB_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tadrib-docker}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
HOST_CA=/etc/ssl/certs/ca-certificates.crt
# The same command as the Dockerfile's tadrib.release-command label; the script checks they agree.
RELEASE_COMMAND='python manage.py migrate --noinput && python manage.py setup_site'
BUILDAH=(buildah)

CONTAINERS=()
TEMP_DIRS=()
TIMINGS=()

fail() {
    echo "docker-smoke: FAILED: $*" >&2
    exit 1
}

cleanup() {
    local ctr dir
    for ctr in "${CONTAINERS[@]}"; do
        "${BUILDAH[@]}" rm "$ctr" >/dev/null 2>&1 || true
    done
    for dir in "${TEMP_DIRS[@]}"; do
        rm -rf "$dir"
    done
}
trap cleanup EXIT

bah() {
    "${BUILDAH[@]}" "$@"
}

# stage NAME COMMAND...: run COMMAND, print how long it took, and remember it for the summary.
stage() {
    local name=$1 start end secs
    shift
    echo
    echo "==> $name"
    start=$EPOCHREALTIME
    "$@"
    end=$EPOCHREALTIME
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    echo "<== $name: ${secs}s"
    TIMINGS+=("$(printf '%-34s %7ss' "$name" "$secs")")
}

require_tools() {
    [[ $(id -u) == 0 ]] || fail "run as root (buildah's storage and debootstrap need it)"
    local missing=()
    command -v buildah >/dev/null || missing+=(buildah)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v unshare >/dev/null || missing+=(util-linux)
    command -v ip >/dev/null || missing+=(iproute2)
    if ((${#missing[@]})); then
        echo "installing ${missing[*]} from Debian's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    buildah --version
    choose_storage
}

# Overlay storage shares unchanged layers; vfs copies the whole tree for every build step and
# deletes those copies afterwards, which makes a cached rebuild take minutes instead of
# seconds. Use overlay where this kernel lets root mount it, else vfs; TADRIB_STORAGE_DRIVER
# chooses. Each driver gets its own store, as a store is tied to the driver that made it.
choose_storage() {
    local driver=${TADRIB_STORAGE_DRIVER:-} probe
    if [[ -z $driver ]]; then
        driver=vfs
        mkdir -p /var/lib/containers
        probe=$(mktemp -d /var/lib/containers/overlay-probe.XXXXXX)
        mkdir "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
        if mount -t overlay overlay \
            -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
            "$probe/merged" 2>/dev/null; then
            umount "$probe/merged"
            driver=overlay
        fi
        rm -rf "$probe"
    fi
    # A store of its own, so pruning (build_image) never touches anyone else's images.
    BUILDAH=(buildah --storage-driver "$driver"
        --root "/var/lib/containers/tadrib-$driver" --runroot "/run/containers/tadrib-$driver")
    echo "storage: ${BUILDAH[*]}"
}

have_image() {
    bah inspect --type image "$1" >/dev/null 2>&1
}

make_standin_tarball() {
    local tarball=$1 rootfs
    rootfs=$(mktemp -d /var/tmp/tadrib-standin.XXXXXX)
    TEMP_DIRS+=("$rootfs")
    # The official slim image carries ca-certificates, netbase and tzdata besides Python.
    debootstrap --variant=minbase \
        --include=python3.11,python3.11-venv,python3-pip,ca-certificates,netbase,tzdata \
        bookworm "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1 ||
        { tail -n 30 "$rootfs.log" >&2; fail "debootstrap (log: $rootfs.log)"; }
    rm -f "$rootfs.log"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    ln -sf /usr/bin/python3.11 "$rootfs/usr/local/bin/python"
    ln -sf /usr/bin/python3.11 "$rootfs/usr/local/bin/python3"
    ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/pip"
    mkdir -p "$(dirname "$tarball")"
    tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
}

base_image() {
    if have_image "$BASE_IMAGE"; then
        echo "reusing $BASE_IMAGE from local storage"
        return
    fi
    local tarball=$CACHE_DIR/python-3.11-slim-bookworm-standin.tar ctr
    if [[ -s $tarball ]]; then
        echo "reusing stand-in root filesystem $tarball"
    else
        echo "making a stand-in for $BASE_IMAGE with debootstrap (cached in $tarball)"
        make_standin_tarball "$tarball"
    fi
    ctr=$(bah from scratch)
    CONTAINERS+=("$ctr")
    bah add "$ctr" "$tarball" / >/dev/null
    bah config \
        --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env LANG=C.UTF-8 \
        --cmd python3 \
        "$ctr"
    bah commit --quiet --rm "$ctr" "$BASE_IMAGE" >/dev/null
    CONTAINERS=()
    bah images "$BASE_IMAGE"
}

build_image() {
    local args=() log builder_id
    # pip inside the build must trust what the host's pip trusts (this network's proxy CA):
    # the host's bundle is bind-mounted for RUN steps only and named through a build argument.
    if [[ -r $HOST_CA ]]; then
        args+=(--volume "$HOST_CA:$HOST_CA:ro" --build-arg "PIP_CERT=$HOST_CA")
    fi
    if [[ -n ${PIP_INDEX_URL:-} ]]; then
        args+=(--build-arg "PIP_INDEX_URL=$PIP_INDEX_URL")
    fi
    log=$(mktemp /var/tmp/tadrib-build.XXXXXX)
    TEMP_DIRS+=("$log")
    # Docker format keeps HEALTHCHECK, which the OCI image format has no field for.
    bah bud --isolation chroot --pull=never --layers --force-rm --format docker \
        "${args[@]}" --tag "$IMAGE" --file Dockerfile . 2>&1 | tee "$log"
    [[ ${TADRIB_SMOKE_PRUNE:-1} == 1 ]] || return 0
    # Every code change leaves the previous build's images behind (with vfs, a full copy of
    # the tree per layer: a gigabyte a run). Tag the builder stage's last image (the id printed
    # just before the final stage starts) to keep it as cache, then drop untagged images.
    builder_id=$(awk '/^\[[0-9]+\/[0-9]+\] STEP 1\//{ before_last_stage = last_id }
                      /^--> [0-9a-f]+$/{ last_id = $2 }
                      END { print before_last_stage }' "$log")
    if [[ -n $builder_id ]]; then
        bah tag "$builder_id" "$IMAGE-builder"
        echo "pruning untagged images (TADRIB_SMOKE_PRUNE=0 keeps them)"
        bah rmi --prune >/dev/null
    fi
}

# image_config KEY [SUBKEY]: the JSON of one field of the image's Docker config (Cmd,
# Healthcheck, ...), or of one entry in it (Labels NAME).
image_config() {
    bah inspect --type image "$IMAGE" | python3 -c '
import json, sys
value = json.load(sys.stdin)["Docker"]["config"].get(sys.argv[1])
for key in sys.argv[2:]:
    value = (value or {}).get(key)
print(json.dumps(value))' "$@"
}

check_image_config() {
    local label healthcheck
    label=$(image_config Labels tadrib.release-command)
    [[ $label == "\"$RELEASE_COMMAND\"" ]] ||
        fail "the image's tadrib.release-command label is $label, this script runs '$RELEASE_COMMAND'"
    healthcheck=$(image_config Healthcheck)
    [[ $healthcheck != null ]] || fail "the image has no HEALTHCHECK"
    echo "user:        $(image_config User)"
    echo "cmd:         $(image_config Cmd)"
    echo "healthcheck: $healthcheck"
    echo "size:        $(bah images --format '{{.Size}}' "$IMAGE")"
}

# Everything that runs inside the container shares these: the temp data dir as /data (so the
# SQLite file is the one DATABASE_URL-less settings pick), and the required production secrets.
SMOKE_ENV=(
    --env DJANGO_SECRET_KEY=docker-smoke-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
    --env DJANGO_ALLOWED_HOSTS=tadrib.test
)

prepare_container() {
    local uid gid
    CTR=$(bah from --pull=never --name "tadrib-smoke-$$" "$IMAGE")
    CONTAINERS+=("$CTR")
    DATA_DIR=$(mktemp -d /var/tmp/tadrib-smoke-data.XXXXXX)
    TEMP_DIRS+=("$DATA_DIR")
    uid=$(bah run --isolation chroot "$CTR" -- id -u)
    gid=$(bah run --isolation chroot "$CTR" -- id -g)
    [[ $uid != 0 ]] || fail "the container runs as root"
    echo "container $CTR runs as uid $uid, gid $gid; data dir $DATA_DIR"
    # shellcheck disable=SC2016 # $p expands inside the container
    bah run --isolation chroot "$CTR" -- sh -c \
        'for p in /app /app/manage.py /app/staticfiles; do test -e "$p" && ! test -w "$p" || exit 1; done' ||
        fail "the application in /app is missing or writable by the app user"
    # shellcheck disable=SC2016 # $p expands inside the container
    bah run --isolation chroot "$CTR" -- sh -c \
        'for p in .git .venv tests requirements-dev.txt; do ! test -e "/app/$p" || exit 1; done' ||
        fail "development files reached /app; check .dockerignore"
    chown "$uid:$gid" "$DATA_DIR"
    chmod 0750 "$DATA_DIR"
}

release_step() {
    bah run --isolation chroot --volume "$DATA_DIR:/data" "${SMOKE_ENV[@]}" "$CTR" \
        -- sh -c "$RELEASE_COMMAND" ||
        fail "release step '$RELEASE_COMMAND' failed inside the image (output above)"
    [[ -s $DATA_DIR/db.sqlite3 ]] || fail "the release step left no SQLite database in /data"
    ls -l "$DATA_DIR"
}

# Runs inside the container: starts the image's CMD, waits for the image's HEALTHCHECK to
# pass, then checks /healthz, the home page and a static file, and the access log on stdout.
read -r -d '' SERVE_CHECK <<'PY' || true
import json, os, signal, subprocess, sys, tempfile, time, urllib.error, urllib.request

cmd = json.loads(os.environ["SMOKE_CMD"])
healthcheck = json.loads(os.environ["SMOKE_HEALTHCHECK"])["Test"]
port = cmd[cmd.index("--bind") + 1].rsplit(":", 1)[1]
base = f"http://127.0.0.1:{port}"
if healthcheck[0] == "CMD":
    probe = healthcheck[1:]
elif healthcheck[0] == "CMD-SHELL":
    probe = ["/bin/sh", "-c", healthcheck[1]]
else:
    sys.exit(f"unexpected HEALTHCHECK {healthcheck}")

def get(path, host):
    # X-Forwarded-Proto stands for the TLS-terminating proxy production runs behind.
    request = urllib.request.Request(base + path, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read(), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.geturl()

if os.getuid() == 0:
    sys.exit("the server would run as root")
log = tempfile.TemporaryFile()
print("starting:", " ".join(cmd), flush=True)
server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
failures = []
try:
    deadline = time.monotonic() + 90
    while subprocess.run(probe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
        if server.poll() is not None:
            failures.append(f"the server exited with status {server.returncode} before it was healthy")
            break
        if time.monotonic() > deadline:
            failures.append("the image's HEALTHCHECK did not pass within 90 s")
            break
        time.sleep(0.5)
    else:
        print("HEALTHCHECK command passed", flush=True)
        status, body, _ = get("/healthz", "lb-probe.internal")
        print(f"GET /healthz (Host lb-probe.internal) -> {status} {body!r}")
        if (status, body) != (200, b"ok"):
            failures.append("/healthz did not answer 200 ok for a host outside ALLOWED_HOSTS")
        status, body, url = get("/", "tadrib.test")
        print(f"GET / -> {status} at {url}, {len(body)} bytes")
        if status != 200 or b"<html" not in body:
            failures.append(f"the home page answered {status}: {body[:500]!r}")
        from django.conf import settings
        manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
        css = sorted(v for k, v in manifest["paths"].items() if k.endswith(".css"))[0]
        status, body, _ = get(settings.STATIC_URL + css, "tadrib.test")
        print(f"GET {settings.STATIC_URL}{css} -> {status}, {len(body)} bytes")
        if status != 200 or not body:
            failures.append(f"collected static file {css} answered {status}")
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        failures.append("gunicorn did not stop within 30 s of SIGTERM")
    log.seek(0)
    output = log.read().decode(errors="replace")
    print("---- server output ----", output, "---- end of server output ----", sep="\n")
if "GET /healthz" not in output:
    failures.append("no access log line for /healthz on the server's stdout")
for line in output.splitlines():
    if "] [ERROR] " in line or line.startswith("Traceback"):
        failures.append(f"the server logged an error: {line}")
if failures:
    sys.exit("\n".join(failures))
print("serve checks passed")
PY

serve_check() {
    local cmd healthcheck
    cmd=$(image_config Cmd)
    healthcheck=$(image_config Healthcheck)
    # chroot isolation shares the host's network; a private network namespace with only
    # loopback lets the image bind its real port without meeting anything else on this host.
    unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh \
        "${BUILDAH[@]}" run --isolation chroot --volume "$DATA_DIR:/data" \
        "${SMOKE_ENV[@]}" --env "SMOKE_CMD=$cmd" --env "SMOKE_HEALTHCHECK=$healthcheck" \
        "$CTR" -- python -c "$SERVE_CHECK" ||
        fail "serving the image failed (output above)"
}

main() {
    local start=$EPOCHREALTIME total
    [[ -f manage.py && -f requirements.txt && -f Dockerfile ]] ||
        fail "run from the project (manage.py, requirements.txt and Dockerfile expected in $(pwd))"
    stage "tools and storage" require_tools
    stage "base image" base_image
    stage "build image" build_image
    stage "image config" check_image_config
    stage "container" prepare_container
    stage "release step" release_step
    stage "release step again (idempotent)" release_step
    stage "serve and health check" serve_check
    total=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    echo
    echo "docker-smoke: OK ($IMAGE)"
    printf '  %s\n' "${TIMINGS[@]}"
    printf '  %-34s %7ss\n' "total" "$total"
}

main "$@"
