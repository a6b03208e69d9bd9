#!/usr/bin/env bash
# Walks the Kubernetes quick start (README.md, "Kubernetes") on a real cluster, step by step, and stops
# with a loud FAILED at the first step that does not do what the guide says.
#
# IT CANNOT RUN ON THE PROJECT'S BUILD MACHINES: they have no Kubernetes cluster and no Docker. There
# it is checked with shellcheck and with --dry-run, which renders every manifest it would apply
# (the Helm chart, the example TrackerCluster, the client pods) without a cluster (a test in the helm
# module does both). Run it yourself against kind or any cluster your kubeconfig points at.
#
# Usage: e2e/k8s/walkthrough.sh [options]
#   --kind [NAME]        build the images as tars and `kind load image-archive` them into kind cluster
#                        NAME (default: kind); images are then used with imagePullPolicy IfNotPresent
#   --registry PREFIX    build and push the images with jib:build to PREFIX (e.g. ghcr.io/you/); needs
#                        push rights (docker login or ~/.docker/config.json) and nodes that can pull
#   (neither)            use shoal-tracker:VERSION and shoal-operator:VERSION as the nodes already have them
#   --namespace NS       namespace of the TrackerCluster (default: shoal-walkthrough; created, and deleted
#                        at the end)
#   --keep               leave everything installed at the end
#   --dry-run            no cluster, no build: render every manifest into --out DIR and print them
#   --out DIR            where --dry-run writes (default: e2e/k8s/target/dry-run)
# Needs: kubectl, helm 3, java 17 and Maven (for the build); kind for --kind. HELM and KUBECTL
# may name other binaries.
set -euo pipefail

cd "$(dirname "$0")/../.."
repo="$PWD"

HELM="${HELM:-helm}"
KUBECTL="${KUBECTL:-kubectl}"
mode=prebuilt
kind_cluster=kind
prefix=""
namespace=shoal-walkthrough
operator_namespace=shoal-system
release=shoal-operator
cluster=demo
keep=false
dry_run=false
out="$repo/e2e/k8s/target/dry-run"

while [ $# -gt 0 ]; do
  case "$1" in
    --kind)
      mode=kind
      if [ $# -gt 1 ] && [[ "$2" != --* ]]; then kind_cluster="$2"; shift; fi ;;
    --registry) mode=registry; prefix="${2:?--registry needs a prefix such as ghcr.io/you/}"; shift ;;
    --namespace) namespace="${2:?--namespace needs a name}"; shift ;;
    --keep) keep=true ;;
    --dry-run) dry_run=true ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "walkthrough: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$prefix" ] && [[ "$prefix" != */ ]]; then prefix="$prefix/"; fi

step_no=0
# Any command that fails outside an explicit check still says where the walk stopped.
trap 'echo "walkthrough: FAILED at step $step_no: $BASH_COMMAND exited $?" >&2' ERR
step() { step_no=$((step_no + 1)); echo; echo "=== step $step_no: $*"; }
info() { echo "    $*"; }
fail() { echo; echo "walkthrough: FAILED at step $step_no: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed${2:+ ($2)}"; }
kc() { "$KUBECTL" "$@"; }

version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)"
[ -n "$version" ] || fail "cannot read the project version from pom.xml"
tracker_image="${prefix}shoal-tracker:$version"
operator_image_repo="${prefix}shoal-operator"
pull_policy=IfNotPresent
if [ "$mode" = registry ]; then pull_policy=Always; fi

# --- the manifests (the same in a dry run and a real one) ---

render_operator() { # the chart, CRDs included, as `helm install` would apply it
  "$HELM" template "$release" helm/shoal-operator --namespace "$operator_namespace" --include-crds \
    --set image.repository="$operator_image_repo" --set image.tag="$version" \
    --set image.pullPolicy="$pull_policy"
}

render_cluster() { # examples/minimal.yaml with the image this run built
  sed -e "s|^\(  image:\).*|\1 $tracker_image|" examples/minimal.yaml
  printf '  imagePullPolicy: %s\n' "$pull_policy"
}

# What every client pod has: its name, the walkthrough's label, no restarts, the images' non-root uid.
render_client_pod_head() { # name
  cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  labels:
    app.kubernetes.io/part-of: shoal-walkthrough
spec:
  restartPolicy: Never
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
  containers:
EOF
}

# A client pod from the tracker image: the project's load generator speaks BEP 15 (UDP) and checks every
# reply; bounded in requests and time, it exits non-zero on any wrong or missing answer.
render_udp_client() { # name host
  render_client_pod_head "$1"
  cat <<EOF
    - name: loadgen
      image: $tracker_image
      imagePullPolicy: $pull_policy
      args: [loadgen, --host, "$2", --port, "6969", --clients, "10", --torrents, "20",
             --peers-per-torrent, "3", --requests, "500", --duration, 20s, --warmup-duration, 20s]
      resources:
        requests: {cpu: 100m, memory: 256Mi}
        limits: {memory: 512Mi}
EOF
}

# An HTTP announce with curl (a real HTTP client) from a pod; the reply must be a bencoded announce answer.
render_http_client() { # name host
  render_client_pod_head "$1"
  cat <<EOF
    - name: curl
      image: curlimages/curl:8.11.1
      args: [-sS, --fail, --max-time, "10",
             "http://$2:6969/announce?info_hash=%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14&peer_id=-WK0001-walkthrough0&port=6881&uploaded=0&downloaded=0&left=0&event=started"]
EOF
}

if $dry_run; then
  need "$HELM" "https://helm.sh/docs/intro/install/, or HELM=/path/to/helm"
  mkdir -p "$out"
  rm -f "$out"/*.yaml
  host="$cluster-ingress.$namespace.svc"
  render_operator >"$out/01-operator.yaml" || fail "helm template failed"
  render_cluster >"$out/02-trackercluster.yaml"
  render_udp_client walkthrough-udp "$host" >"$out/03-udp-client.yaml"
  render_http_client walkthrough-http "$host" >"$out/04-http-client.yaml"
  render_udp_client walkthrough-udp-after-scale "$host" >"$out/05-udp-client-after-scale.yaml"
  for f in "$out"/*.yaml; do
    echo "# ---- would apply: ${f#"$repo"/}"
    cat "$f"
  done
  echo "walkthrough: dry run: rendered $(find "$out" -name '*.yaml' | wc -l) manifests into $out"
  exit 0
fi

# --- a real cluster from here on ---

cleanup_pods() { kc -n "$namespace" delete pod -l app.kubernetes.io/part-of=shoal-walkthrough --ignore-not-found --wait=false >/dev/null 2>&1 || true; }

run_client() { # renderer name host: apply a client pod, wait for it to finish, print its log
  local renderer="$1" name="$2" host="$3" phase=""
  kc -n "$namespace" delete pod "$name" --ignore-not-found --wait=true >/dev/null
  "$renderer" "$name" "$host" | kc -n "$namespace" apply -f - >/dev/null
  for _ in $(seq 120); do
    phase="$(kc -n "$namespace" get pod "$name" -o jsonpath='{.status.phase}')"
    case "$phase" in Succeeded|Failed) break ;; esac
    sleep 2
  done
  kc -n "$namespace" logs "$name" | sed 's/^/    | /'
  [ "$phase" = Succeeded ] || fail "client pod $name ended as '${phase:-unknown}'"
}

condition() { # cluster type -> status
  kc -n "$namespace" get tc "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}"
}

wait_ready() { # cluster shards timeout-seconds
  local deadline=$((SECONDS + $3)) ready="" shards="" ready_shards=""
  while [ $SECONDS -lt $deadline ]; do
    ready="$(condition "$1" Ready)"
    shards="$(kc -n "$namespace" get tc "$1" -o jsonpath='{.status.shards}')"
    ready_shards="$(kc -n "$namespace" get tc "$1" -o jsonpath='{.status.readyShards}')"
    if [ "$ready" = True ] && [ "$shards" = "$2" ] && [ "$ready_shards" = "$2" ]; then return 0; fi
    sleep 5
  done
  kc -n "$namespace" describe tc "$1" || true
  fail "tc/$1 not Ready with $2 ready shards after $3 s (Ready=$ready shards=$shards readyShards=$ready_shards)"
}

step "tools and cluster"
need "$KUBECTL" "https://kubernetes.io/docs/tasks/tools/"
need "$HELM" "https://helm.sh/docs/intro/install/"
kc version >/dev/null || fail "no cluster reachable with the current kubeconfig"
info "cluster: $(kc config current-context)"
[ "$(kc auth can-i create customresourcedefinitions)" = yes ] || fail "this user cannot create CRDs (cluster-admin needed to install)"

step "build the images ($mode)"
case "$mode" in
  kind)
    need kind "https://kind.sigs.k8s.io/"
    ./mvnw -B -q -pl tracker-shard,operator -am package -DskipTests jib:buildTar || fail "image build failed"
    kind load image-archive tracker-shard/target/jib-image.tar --name "$kind_cluster" || fail "kind load of shoal-tracker failed"
    kind load image-archive operator/target/jib-image.tar --name "$kind_cluster" || fail "kind load of shoal-operator failed"
    ;;
  registry)
    ./mvnw -B -q -pl tracker-shard,operator -am package -DskipTests jib:build -Dshoal.image.prefix="$prefix" \
      || fail "image build or push failed"
    ;;
  prebuilt) info "using $tracker_image and ${operator_image_repo}:$version as they are" ;;
esac

step "helm install the operator into $operator_namespace"
"$HELM" upgrade --install "$release" helm/shoal-operator --namespace "$operator_namespace" --create-namespace \
  --set image.repository="$operator_image_repo" --set image.tag="$version" --set image.pullPolicy="$pull_policy" \
  --wait --timeout 5m || fail "helm install failed (kubectl -n $operator_namespace get pods; kubectl -n $operator_namespace logs deploy/$release)"
kc wait --for condition=Established --timeout=60s crd/trackerclusters.tracker.shoal.io crd/trackershards.tracker.shoal.io \
  || fail "the CRDs are not established"
kc -n "$operator_namespace" rollout status "deployment/$release" --timeout=120s || fail "the operator is not ready"

step "kubectl apply -f examples/minimal.yaml (namespace $namespace)"
kc get namespace "$namespace" >/dev/null 2>&1 || kc create namespace "$namespace" >/dev/null
render_cluster | kc -n "$namespace" apply -f - || fail "the API server refused the example"
shards="$(kc -n "$namespace" get tc "$cluster" -o jsonpath='{.spec.shards}')"
info "tc/$cluster with $shards shards"

step "kubectl get tc: wait for Ready"
wait_ready "$cluster" "$shards" 600
kc -n "$namespace" get tc
kc -n "$namespace" get trackershards

step "find the tracker's address"
svc="$cluster-ingress"   # the operator names the ingress Service <cluster>-ingress
kc -n "$namespace" get svc "$svc" >/dev/null || fail "no Service $svc for tc/$cluster"
udp_port="$(kc -n "$namespace" get svc "$svc" -o jsonpath='{.spec.ports[?(@.protocol=="UDP")].port}')"
[ "$udp_port" = 6969 ] || fail "Service $svc has UDP port '${udp_port}', expected 6969"
kc -n "$namespace" get svc "$svc"
endpoints="$(kc -n "$namespace" get tc "$cluster" -o jsonpath='{.status.endpoints}')"
external="$(kc -n "$namespace" get svc "$svc" -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}')"
info "announce URLs in status: ${endpoints:-none yet}"
info "external address: ${external:-none (no load balancer in this cluster, e.g. kind); clients inside the cluster use $svc.$namespace.svc}"
host="$svc.$namespace.svc"

step "announce with real clients (UDP: the project's load generator; HTTP: curl)"
run_client render_udp_client walkthrough-udp "$host"
run_client render_http_client walkthrough-http "$host"
reply="$(kc -n "$namespace" logs walkthrough-http)"
[[ "$reply" == d*8:intervali* ]] || fail "the HTTP announce reply is not a tracker answer: $reply"
if [ -n "$external" ] && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import libtorrent' 2>/dev/null; then
  info "libtorrent swarm through udp://$external:6969/announce"
  /usr/bin/python3 e2e/src/test/python/swarm.py --tracker "udp://$external:6969/announce" \
    --workdir "$(mktemp -d)" || fail "libtorrent could not download through the external address"
fi

step "kubectl scale tc/$cluster --replicas=$((shards + 1))"
epoch="$(kc -n "$namespace" get tc "$cluster" -o jsonpath='{.status.routingEpoch}')"
kc -n "$namespace" scale "tc/$cluster" --replicas=$((shards + 1)) || fail "kubectl scale failed"
wait_ready "$cluster" $((shards + 1)) 900
new_epoch="$(kc -n "$namespace" get tc "$cluster" -o jsonpath='{.status.routingEpoch}')"
[ "${new_epoch:-0}" -gt "${epoch:-0}" ] || fail "the routing epoch did not grow ($epoch -> $new_epoch)"
kc -n "$namespace" get tc "$cluster"
run_client render_udp_client walkthrough-udp-after-scale "$host"

step "read the conditions"
kc -n "$namespace" get tc "$cluster" -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' | sed 's/^/    /'
[ "$(condition "$cluster" Ready)" = True ] || fail "Ready is not True"
[ "$(condition "$cluster" Degraded)" != True ] || fail "Degraded is True"
[ "$(condition "$cluster" Resharding)" != True ] || fail "still Resharding after the scale finished"

if $keep; then
  echo; echo "walkthrough: PASSED (left installed: --keep)"
  exit 0
fi

step "uninstall"
cleanup_pods
kc -n "$namespace" delete tc "$cluster" --wait=true --timeout=180s || fail "deleting tc/$cluster did not finish"
left="$(kc -n "$namespace" get trackershards -o name)"
[ -z "$left" ] || fail "TrackerShards left after deleting the cluster: $left"
"$HELM" uninstall "$release" --namespace "$operator_namespace" --wait || fail "helm uninstall failed"
kc delete crd trackerclusters.tracker.shoal.io trackershards.tracker.shoal.io --ignore-not-found || fail "deleting the CRDs failed"
kc delete namespace "$namespace" --wait=false >/dev/null
echo; echo "walkthrough: PASSED"
