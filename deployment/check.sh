#!/usr/bin/env bash
# Offline checks of the production deployment files (deployment/). No Docker engine, no cluster, no network
# except apt when a tool is missing. Run from anywhere; test.sh runs it after the Maven build.
#
#   compose  docker-compose config -q with .env.example, plus structural checks of the rendered stack
#   docker   Dockerfile essentials (multi-stage, non-root, healthcheck, JSON logs)
#   nginx    nginx -t on a copy whose upstream hostnames are replaced by 127.0.0.1 (nginx resolves them at parse time)
#   prom     promtool check config / check rules / test rules
#   grafana  dashboard JSON valid, up to date with its generator, every panel query parses as PromQL
#   k8s      kubectl kustomize (when kubectl exists) + schema/policy checks of every manifest, KEDA ScaledObjects
#   logs     logback-json.xml well-formed, logstash-logback-encoder declared in app/pom.xml
#   ci       .github/workflows/ci.yml parses, runs ./test.sh on Java 17 and builds the image from an existing Dockerfile
#
# Installs missing tools with apt when running as root: docker-compose, prometheus (prometheus and promtool),
# nginx-light, python3-yaml, chromium and chromium-driver (for the try-it page's browser test); `check.sh --install-tools` only does that. Exit status 1 and a FAIL line per problem
# when anything is wrong.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DEP=deployment
START=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/deploy-check.XXXXXX")"
POLICY_RC_CREATED=""
cleanup() {
    rm -rf "$WORK"
    if [ -n "$POLICY_RC_CREATED" ]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

FAILURES=0
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok   %s\n' "$*"; }
skip() { printf '   skip %s\n' "$*"; }
fail() { printf '   FAIL %s\n' "$*" >&2; FAILURES=$((FAILURES + 1)); }
# run LABEL CMD...: runs CMD, prints its output only when it fails
run() {
    local label="$1"; shift
    local out
    if out="$("$@" 2>&1)"; then ok "$label"; else fail "$label"; printf '%s\n' "$out" | sed 's/^/        /' >&2; fi
}

# ---------------------------------------------------------------------------------------------- tools
pick_python() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import yaml' >/dev/null 2>&1; then echo "$py"; return 0; fi
    done
    return 1
}
compose_cmd() {
    if command -v docker-compose >/dev/null 2>&1; then echo docker-compose; return 0; fi
    if docker compose version >/dev/null 2>&1; then echo "docker compose"; return 0; fi
    return 1
}

step "tools"
MISSING_PKGS=()
compose_cmd >/dev/null || MISSING_PKGS+=(docker-compose)
{ command -v promtool && { [ -x "${PROMETHEUS_BIN:-/usr/bin/prometheus}" ] || command -v prometheus; }; } >/dev/null 2>&1 || MISSING_PKGS+=(prometheus)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || MISSING_PKGS+=(nginx-light)
pick_python >/dev/null || MISSING_PKGS+=(python3-yaml)
# Headless Chromium and its driver, which app's TryItPageBrowserTest drives through Selenium.
[ -x /usr/bin/chromium ] || MISSING_PKGS+=(chromium)
[ -x /usr/bin/chromedriver ] || MISSING_PKGS+=(chromium-driver)
if [ "${#MISSING_PKGS[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "   installing: ${MISSING_PKGS[*]}"
        # Never start the services these packages ship (nginx, prometheus) while installing.
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && POLICY_RC_CREATED=1
        fi
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q --no-install-recommends "${MISSING_PKGS[@]}" >"$WORK/apt.log" 2>&1; then
            apt-get update -q >>"$WORK/apt.log" 2>&1
            apt-get install -y -q --no-install-recommends "${MISSING_PKGS[@]}" >>"$WORK/apt.log" 2>&1 \
                || { tail -20 "$WORK/apt.log" >&2; echo "FAIL: apt-get install ${MISSING_PKGS[*]}" >&2; exit 1; }
        fi
        if [ -n "$POLICY_RC_CREATED" ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=""; fi
    else
        echo "FAIL: missing tools (Debian packages: ${MISSING_PKGS[*]}); run as root with apt or install them" >&2
        exit 1
    fi
fi
PATH="$PATH:/usr/sbin"
PY="$(pick_python)" || { echo "FAIL: no python3 with PyYAML" >&2; exit 1; }
COMPOSE="$(compose_cmd)" || { echo "FAIL: neither docker-compose nor 'docker compose'" >&2; exit 1; }
ok "$COMPOSE, $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3), $(nginx -v 2>&1), $PY"
# test.sh calls this first, so that the Maven build's PrometheusCheckIT finds Debian's prometheus and
# TryItPageBrowserTest finds Debian's chromium and chromedriver.
if [ "${1:-}" = "--install-tools" ]; then
    exit 0
fi

# ---------------------------------------------------------------------------------------------- compose
step "compose"
COMPOSE_FILE_PATH="$DEP/compose/docker-compose.yml"
if $COMPOSE --env-file "$DEP/compose/.env.example" -f "$COMPOSE_FILE_PATH" config -q >"$WORK/compose.err" 2>&1; then
    ok "$COMPOSE config -q (env from .env.example)"
    $COMPOSE --env-file "$DEP/compose/.env.example" -f "$COMPOSE_FILE_PATH" config >"$WORK/compose.yml" 2>/dev/null
    run "compose stack structure" "$PY" - "$WORK/compose.yml" "$DEP/nginx/nginx.conf" "$DEP/compose/.env.example" <<'PYEOF'
import re, sys, yaml
rendered, nginx_conf, env_example = sys.argv[1:4]
stack = yaml.safe_load(open(rendered))
services = stack["services"]
errors = []
required_env = ["TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "MONGODB_URI", "REDIS_URI", "PANEL_URL",
                "PANEL_APPLICATION_KEY", "PANEL_CLIENT_KEY", "JWT_SECRET", "ENCRYPTION_KEYS",
                "ENCRYPTION_ACTIVE_KEY", "TEMPORAL_UI_URL", "STORE_API_KEY", "WORKER_SHUTDOWN_GRACE",
                "STRIPE_WEBHOOK_SECRET", "STORE_WEBHOOK_SECRET"]
all_queues = {"orchestration", "pterodactyl", "payments", "notifications", "maintenance"}
for name in ["temporal", "temporal-ui", "temporal-postgresql", "mongodb", "mongodb-init", "redis", "nginx",
             "prometheus", "grafana"]:
    if name not in services:
        errors.append(f"service {name} is missing")
roles = {}
served_queues = set()
for name, svc in services.items():
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    one_shot = str(svc.get("restart", "")) == "no"
    if not one_shot and "healthcheck" not in svc:
        errors.append(f"{name}: no healthcheck")
    for dep, cond in (svc.get("depends_on") or {}).items():
        if dep not in services:
            errors.append(f"{name}: depends_on unknown service {dep}")
        if isinstance(cond, dict) and cond.get("condition") not in ("service_healthy", "service_completed_successfully"):
            errors.append(f"{name}: depends_on {dep} without a health/completion condition")
    role = env.get("ORCHESTRATOR_ROLE")
    if role is None:
        continue
    roles.setdefault(role, []).append(name)
    if role not in ("api", "worker"):
        errors.append(f"{name}: ORCHESTRATOR_ROLE={role} (production runs api or worker)")
    for var in required_env:
        if not str(env.get(var, "")).strip():
            errors.append(f"{name}: {var} is not set")
    if str(env.get("TEMPORAL_TEST_SERVER", "")).lower() != "false":
        errors.append(f"{name}: TEMPORAL_TEST_SERVER must be false")
    if len(str(env.get("JWT_SECRET", "")).encode()) < 32:
        errors.append(f"{name}: JWT_SECRET is shorter than 32 bytes")
    if "replicaSet=" not in str(env.get("MONGODB_URI", "")):
        errors.append(f"{name}: MONGODB_URI does not name the replica set")
    if role == "worker":
        queues = {q.strip() for q in str(env.get("WORKER_TASK_QUEUES", "")).split(",") if q.strip()}
        if not queues or not queues <= all_queues:
            errors.append(f"{name}: WORKER_TASK_QUEUES={env.get('WORKER_TASK_QUEUES')!r}")
        served_queues |= queues
        if svc.get("ports"):
            errors.append(f"{name}: a worker publishes ports")
if len(roles.get("api", [])) < 2:
    errors.append(f"fewer than 2 api services: {roles.get('api')}")
if served_queues != all_queues:
    errors.append(f"task queues without a worker service: {sorted(all_queues - served_queues)}")
def port_parts(p):
    """(host_ip, published, target) of a compose port, long (dict) or short ("[ip:]published:target") form."""
    if isinstance(p, dict):
        return p.get("host_ip"), str(p.get("published")), str(p.get("target"))
    parts = str(p).split(":")
    return (parts[0] if len(parts) >= 3 else None), parts[-2] if len(parts) >= 2 else None, parts[-1]
ui_ports = [port_parts(p) for p in services.get("temporal-ui", {}).get("ports", [])]
if not any(published == "8233" and target.split("/")[0] == "8080" for _, published, target in ui_ports):
    errors.append("temporal-ui does not publish 8233 -> 8080")
# The UI has no login here: loopback only, never every interface.
for host_ip, published, target in ui_ports:
    if host_ip != "127.0.0.1":
        errors.append(f"temporal-ui publishes {published}:{target} beyond the host's loopback without authentication")
# Traces (issue 13): Jaeger's UI, like the Temporal UI, has no login: loopback only; orchestrators export to it.
if "jaeger" not in services:
    errors.append("service jaeger is missing")
for host_ip, published, target in [port_parts(p) for p in services.get("jaeger", {}).get("ports", [])]:
    if host_ip != "127.0.0.1":
        errors.append(f"jaeger publishes {published}:{target} beyond the host's loopback without authentication")
for name, svc in services.items():
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    if env.get("ORCHESTRATOR_ROLE") and not re.match(r"^https?://jaeger:4318/?$", str(env.get("OTEL_EXPORTER_OTLP_ENDPOINT", ""))):
        errors.append(f"{name}: OTEL_EXPORTER_OTLP_ENDPOINT={env.get('OTEL_EXPORTER_OTLP_ENDPOINT')!r} is not the stack's Jaeger (OTLP/HTTP 4318)")
# nginx upstream == api services
upstream = set(re.findall(r"^\s*server\s+([A-Za-z0-9_.-]+):8080", open(nginx_conf).read(), re.M))
if upstream != set(roles.get("api", [])):
    errors.append(f"nginx upstream {sorted(upstream)} != api services {sorted(roles.get('api', []))}")
# .env.example: placeholders only
for line in open(env_example):
    if re.match(r"^(STRIPE_API_KEY=sk_live|STRIPE_WEBHOOK_SECRET=whsec_[A-Za-z0-9]{20,})", line):
        errors.append(".env.example holds what looks like a live Stripe secret")
if errors:
    print("\n".join(errors)); sys.exit(1)
PYEOF
else
    fail "$COMPOSE config -q"; sed 's/^/        /' "$WORK/compose.err" >&2
fi

# ---------------------------------------------------------------------------------------------- Dockerfile
step "docker"
run "Dockerfile essentials, COPY sources exist, every Maven module copied" "$PY" - "$DEP/docker/Dockerfile" <<'PYEOF'
import fnmatch, os, re, sys, xml.etree.ElementTree as ET
text = open(sys.argv[1]).read()
errors = []
ignored = [l.strip() for l in open(".dockerignore")] if os.path.exists(".dockerignore") else []
ignored = [l for l in ignored if l and not l.startswith("#")]
copied = set()
for line in re.findall(r"^COPY\s+(.+)$", text, re.M):
    parts = [p for p in line.split() if not p.startswith("--")]
    if "--from" in line:
        continue
    for src in parts[:-1]:
        copied.add(src.rstrip("/"))
        if not os.path.exists(src): errors.append(f"COPY {src}: no such path in the build context")
        for pat in ignored:
            if fnmatch.fnmatch(src.rstrip("/"), pat.rstrip("/")) or src.startswith(pat.rstrip("/") + "/"):
                errors.append(f"COPY {src}: excluded by .dockerignore ({pat})")
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
def modules(d):
    pom = ET.parse(os.path.join(d, "pom.xml")).getroot()
    for m in pom.iterfind("m:modules/m:module", ns):
        sub = os.path.normpath(os.path.join(d, m.text))
        yield sub
        yield from modules(sub)
for mod in modules("."):
    if not os.path.exists(os.path.join(mod, "pom.xml")): continue
    if mod + "/pom.xml" not in copied: errors.append(f"module {mod}: pom.xml not copied")
    if os.path.isdir(os.path.join(mod, "src")) and mod + "/src" not in copied: errors.append(f"module {mod}: src not copied")
froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
if not froms or not froms[0].startswith("eclipse-temurin:17-jdk"): errors.append("build stage is not eclipse-temurin:17-jdk")
if len(froms) < 2 or not froms[-1].startswith("eclipse-temurin:17-jre"): errors.append("runtime stage is not eclipse-temurin:17-jre")
users = re.findall(r"^USER\s+(\S+)", text, re.M)
if not users or users[-1].split(":")[0] in ("root", "0"): errors.append("the image does not switch to a non-root USER")
for needle, why in [("HEALTHCHECK", "no HEALTHCHECK"), ("/health/liveness", "healthcheck is not /health/liveness"),
                    ("MaxRAMPercentage", "no -XX:MaxRAMPercentage"), ("logback.configurationFile=logback-json.xml", "JSON logs not selected"),
                    ("./mvnw", "not built with the Maven wrapper"), ("orchestrator.jar", "does not run orchestrator.jar")]:
    if needle not in text: errors.append(why)
if errors: print("\n".join(errors)); sys.exit(1)
PYEOF

# ---------------------------------------------------------------------------------------------- nginx
step "nginx"
mkdir -p "$WORK/nginx/logs"
sed -E 's/^(\s*server\s+)[A-Za-z][A-Za-z0-9_.-]*:/\1127.0.0.1:/' "$DEP/nginx/nginx.conf" > "$WORK/nginx/nginx.conf"
# A pid outside the temp prefix would need root paths: override it unless the file sets its own.
NGINX_G=()
grep -qE '^\s*pid\s' "$WORK/nginx/nginx.conf" || NGINX_G=(-g "pid $WORK/nginx/nginx.pid;")
run "nginx -t (upstream hosts -> 127.0.0.1)" nginx -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" "${NGINX_G[@]}"
run "nginx essentials" "$PY" - "$DEP/nginx/nginx.conf" <<'PYEOF'
import sys
text = open(sys.argv[1]).read()
need = ["location = /api/v1/ws", "$http_upgrade", "X-Forwarded-For", "X-Forwarded-Proto", "client_max_body_size 1m",
        "X-Content-Type-Options", "proxy_read_timeout"]
missing = [n for n in need if n not in text]
if missing: print("missing:", missing); sys.exit(1)
PYEOF

# ---------------------------------------------------------------------------------------------- Prometheus
step "prometheus"
run "promtool check config prometheus.yml" promtool check config "$DEP/prometheus/prometheus.yml"
if out="$(promtool check config "$DEP/prometheus/prometheus-k8s.yml" 2>&1)"; then
    ok "promtool check config prometheus-k8s.yml"
elif printf '%s' "$out" | grep -q "kubernetes_sd_configs not found"; then
    # Debian's promtool is built without Kubernetes service discovery: check the rest of the file.
    "$PY" - "$DEP/prometheus/prometheus-k8s.yml" > "$WORK/prometheus-k8s-nok8s.yml" <<'PYEOF'
import sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))
for job in cfg.get("scrape_configs", []):
    if job.pop("kubernetes_sd_configs", None) is not None:
        job["static_configs"] = [{"targets": ["placeholder:8080"]}]
print(yaml.safe_dump(cfg))
PYEOF
    run "promtool check config prometheus-k8s.yml (this promtool has no kubernetes_sd; checked the rest)" \
        promtool check config "$WORK/prometheus-k8s-nok8s.yml"
else
    fail "promtool check config prometheus-k8s.yml"; printf '%s\n' "$out" | sed 's/^/        /' >&2
fi
run "blackbox.yml is valid" "$PY" -c "import yaml,sys; yaml.safe_load(open(sys.argv[1]))['modules']['http_2xx']" "$DEP/prometheus/blackbox.yml"
run "promtool check rules" promtool check rules "$DEP"/prometheus/rules/*.yml
if ls "$DEP"/prometheus/tests/*.yml >/dev/null 2>&1; then
    run "promtool test rules" promtool test rules "$DEP"/prometheus/tests/*.yml
fi
run "alerts cover sagas, webhooks, servers, workers, panel, readiness" "$PY" - "$DEP/prometheus/rules" <<'PYEOF'
import glob, sys, yaml
names = set()
for f in glob.glob(sys.argv[1] + "/*.yml"):
    for g in yaml.safe_load(open(f))["groups"]:
        for r in g["rules"]:
            if "alert" in r:
                names.add(r["alert"])
                if "severity" not in (r.get("labels") or {}) or "summary" not in (r.get("annotations") or {}):
                    print(f"{r['alert']}: needs labels.severity and annotations.summary"); sys.exit(1)
need = {"OrderSagasFailing", "SagaCompensationsSpike", "PaymentWebhooksRejected", "ServerCpuOverLimit",
        "ServerMemoryOverLimit", "WorkerDown", "TaskQueueWithoutPollers", "PanelRateLimited", "PanelServerErrors",
        "OrderProvisioningSlow", "OrchestratorNotReady", "OrderCompensationFailed"}
if need - names: print("missing alerts:", sorted(need - names)); sys.exit(1)
PYEOF

# ---------------------------------------------------------------------------------------------- Grafana
step "grafana"
run "dashboard JSON is valid and matches generate-dashboard.py" "$PY" "$DEP/grafana/generate-dashboard.py" --check
"$PY" - "$DEP/grafana/dashboards" "$DEP/grafana/provisioning" "$WORK/dashboard-queries.rules.yml" > "$WORK/grafana.out" 2>&1 <<'PYEOF'
import glob, json, sys, yaml
dash_dir, prov_dir, out = sys.argv[1:4]
ds_uids = set()
for f in glob.glob(prov_dir + "/datasources/*.yml"):
    for ds in yaml.safe_load(open(f)).get("datasources", []):
        ds_uids.add(ds.get("uid"))
errors, rules = [], []
files = glob.glob(dash_dir + "/*.json")
if not files: errors.append("no dashboard JSON")
for f in files:
    d = json.load(open(f))
    for key in ("uid", "title", "panels"):
        if key not in d: errors.append(f"{f}: no {key}")
    ids = [p["id"] for p in d["panels"]]
    if len(ids) != len(set(ids)): errors.append(f"{f}: duplicate panel ids")
    for p in d["panels"]:
        for t in p.get("targets", []):
            uid = (t.get("datasource") or p.get("datasource") or {}).get("uid")
            if uid not in ds_uids: errors.append(f"{f}: panel {p['title']!r} uses datasource uid {uid!r}, provisioned: {sorted(ds_uids)}")
            expr = t["expr"].replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$instance", ".*").replace("$job", ".*")
            rules.append({"record": f"dashboard:panel_{p['id']}_{t['refId']}", "expr": expr})
for f in glob.glob(prov_dir + "/dashboards/*.yml"):
    for prov in yaml.safe_load(open(f)).get("providers", []):
        if not prov.get("options", {}).get("path"): errors.append(f"{f}: provider without options.path")
yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(out, "w"))
if errors: print("\n".join(errors)); sys.exit(1)
print(f"{len(rules)} queries")
PYEOF
if [ $? -eq 0 ]; then
    ok "dashboard datasources/provisioning ($(cat "$WORK/grafana.out"))"
    run "every dashboard query parses as PromQL (promtool)" promtool check rules "$WORK/dashboard-queries.rules.yml"
else
    fail "dashboard datasources/provisioning"; sed 's/^/        /' "$WORK/grafana.out" >&2
fi

# ---------------------------------------------------------------------------------------------- Kubernetes
step "k8s"
if [ -z "${DEPLOY_CHECK_NO_KUBECTL:-}" ] && command -v kubectl >/dev/null 2>&1; then
    if kubectl kustomize "$DEP/k8s" >"$WORK/k8s.yaml" 2>"$WORK/k8s.err"; then
        ok "kubectl kustomize deployment/k8s ($(grep -c '^kind:' "$WORK/k8s.yaml") objects)"
        K8S_INPUT="$WORK/k8s.yaml"
    else
        fail "kubectl kustomize deployment/k8s"; sed 's/^/        /' "$WORK/k8s.err" >&2
        K8S_INPUT=""
    fi
else
    skip "kubectl kustomize (kubectl not installed): checking the raw manifests instead"
    K8S_INPUT="RAW"
fi
if [ -n "$K8S_INPUT" ]; then
    run "manifest schema and policies" "$PY" - "$K8S_INPUT" "$DEP/k8s" <<'PYEOF'
import glob, os, re, sys, yaml
src, k8s_dir = sys.argv[1:3]
docs = []
if src == "RAW":
    kust = yaml.safe_load(open(os.path.join(k8s_dir, "kustomization.yaml")))
    for res in kust.get("resources", []):
        docs += [d for d in yaml.safe_load_all(open(os.path.join(k8s_dir, res))) if d]
    env = dict(l.strip().split("=", 1) for l in open(os.path.join(k8s_dir, "config.env")) if "=" in l and not l.startswith("#"))
    docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "orchestrator-config"}, "data": env})
else:
    docs = [d for d in yaml.safe_load_all(open(src)) if d]
errors = []
def err(d, msg): errors.append(f"{d.get('kind')}/{(d.get('metadata') or {}).get('name')}: {msg}")
def seconds(v):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)?", str(v).strip())
    if not m: return None
    n, unit = int(m.group(1)), m.group(2) or "s"
    return n / 1000 if unit == "ms" else n * {"s": 1, "m": 60, "h": 3600}[unit]
config = {}
for d in docs:
    for key in ("apiVersion", "kind"):
        if not d.get(key): err(d, f"no {key}")
    if not (d.get("metadata") or {}).get("name"): err(d, "no metadata.name")
    if d.get("kind") == "ConfigMap" and (d["metadata"]["name"]).startswith("orchestrator-config"): config = d.get("data") or {}
    if d.get("kind") == "Secret" and d.get("data") is None and d.get("stringData") is None: err(d, "empty Secret")
known = {("v1", "Namespace"), ("v1", "ServiceAccount"), ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"),
         ("apps/v1", "Deployment"), ("policy/v1", "PodDisruptionBudget"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
         ("networking.k8s.io/v1", "Ingress"), ("keda.sh/v1alpha1", "ScaledObject")}
for d in docs:
    if (d.get("apiVersion"), d.get("kind")) not in known: err(d, f"unexpected apiVersion/kind {d.get('apiVersion')} {d.get('kind')}")
grace = seconds(config.get("WORKER_SHUTDOWN_GRACE", "30s")) or 30
deployments = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Deployment"}
roles = {}
for name, d in deployments.items():
    spec = d["spec"]; tpl = spec["template"]; pod = tpl["spec"]
    sel = spec["selector"]["matchLabels"]
    if any(tpl["metadata"]["labels"].get(k) != v for k, v in sel.items()): err(d, "selector does not match template labels")
    psc = pod.get("securityContext") or {}
    if not psc.get("runAsNonRoot"): err(d, "pod securityContext.runAsNonRoot is not true")
    if psc.get("runAsUser") == 0: err(d, "runs as uid 0")
    tgps = pod.get("terminationGracePeriodSeconds")
    mounts_tmp = False
    for c in pod["containers"]:
        where = f"container {c['name']}"
        for probe in ("livenessProbe", "readinessProbe"):
            if probe not in c: err(d, f"{where}: no {probe}")
        if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/health/liveness": err(d, f"{where}: liveness is not /health/liveness")
        if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/health/readiness": err(d, f"{where}: readiness is not /health/readiness")
        res = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if r not in (res.get(kind) or {}): err(d, f"{where}: no resources.{kind}.{r}")
        csc = c.get("securityContext") or {}
        if csc.get("allowPrivilegeEscalation") is not False: err(d, f"{where}: allowPrivilegeEscalation is not false")
        if csc.get("readOnlyRootFilesystem") is not True: err(d, f"{where}: readOnlyRootFilesystem is not true")
        mounts_tmp |= any(m.get("mountPath") == "/tmp" for m in c.get("volumeMounts", []))
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        role = env.get("ORCHESTRATOR_ROLE")
        roles.setdefault(role, []).append(name)
        if role not in ("api", "worker"): err(d, f"{where}: ORCHESTRATOR_ROLE={role}")
        if role == "worker":
            if not env.get("WORKER_TASK_QUEUES"): err(d, f"{where}: worker without WORKER_TASK_QUEUES")
            if tgps is None or tgps < grace + 10: err(d, f"terminationGracePeriodSeconds {tgps} < WORKER_SHUTDOWN_GRACE {grace}s + 10s")
        refs = {(list(e.keys())[0], list(e.values())[0]["name"]) for e in c.get("envFrom", [])}
        for kind, ref in refs:
            target = "ConfigMap" if kind == "configMapRef" else "Secret"
            if not any(x.get("kind") == target and x["metadata"]["name"] == ref for x in docs): err(d, f"{where}: {kind} {ref} does not exist")
    if not mounts_tmp: err(d, "no writable /tmp volume (read-only root filesystem)")
if not roles.get("api"): errors.append("no api Deployment")
queues = set()
for d in deployments.values():
    for c in d["spec"]["template"]["spec"]["containers"]:
        for e in c.get("env", []):
            if e["name"] == "WORKER_TASK_QUEUES": queues |= {q.strip() for q in e["value"].split(",")}
if queues != {"orchestration", "pterodactyl", "payments", "notifications", "maintenance"}: errors.append(f"worker task queues {sorted(queues)}")
def selects(selector, d):
    labels = d["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(k) == v for k, v in selector.items())
for d in docs:
    k = d.get("kind")
    if k == "HorizontalPodAutoscaler":
        t = d["spec"]["scaleTargetRef"]
        if t.get("kind") != "Deployment" or t.get("name") not in deployments: err(d, f"scaleTargetRef {t} does not exist")
        if any(m.get("type") != "Resource" for m in d["spec"].get("metrics", [])): err(d, "only resource metrics (no adapter needed)")
        if d["spec"]["minReplicas"] > d["spec"]["maxReplicas"]: err(d, "minReplicas > maxReplicas")
        target = deployments.get(t.get("name"))
        if target and target["spec"]["template"]["spec"]["containers"][0]["env"][0].get("value") != "worker": err(d, "HPA on a non-worker Deployment")
    if k in ("PodDisruptionBudget", "Service"):
        sel = d["spec"]["selector"]["matchLabels"] if k == "PodDisruptionBudget" else d["spec"]["selector"]
        if not any(selects(sel, x) for x in deployments.values()): err(d, f"selector {sel} matches no Deployment")
    if k == "Ingress":
        svcs = {x["metadata"]["name"] for x in docs if x.get("kind") == "Service"}
        for rule in d["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                if p["backend"]["service"]["name"] not in svcs: err(d, f"backend {p['backend']['service']['name']} is not a Service")
                if p["path"].startswith("/prometheus"): err(d, "exposes /prometheus")
workers = [n for n, d in deployments.items() if n in roles.get("worker", [])]
hpa_targets = {d["spec"]["scaleTargetRef"]["name"] for d in docs if d.get("kind") == "HorizontalPodAutoscaler"}
# KEDA ScaledObjects (issue 13): workers scale on the backlog of each task queue they poll, with CPU as a floor.
def queues_of(d):
    out = set()
    for c in d["spec"]["template"]["spec"]["containers"]:
        for e in c.get("env", []):
            if e["name"] == "WORKER_TASK_QUEUES": out |= {q.strip() for q in e["value"].split(",") if q.strip()}
    return out
scaled_targets = set()
for d in docs:
    if d.get("kind") != "ScaledObject": continue
    spec = d.get("spec") or {}
    t = spec.get("scaleTargetRef") or {}
    target = deployments.get(t.get("name"))
    if t.get("kind", "Deployment") != "Deployment" or target is None:
        err(d, f"scaleTargetRef {t} names no Deployment"); continue
    if t.get("name") not in roles.get("worker", []): err(d, "scales a non-worker Deployment")
    if t.get("name") in hpa_targets: err(d, "its Deployment also has an HPA (KEDA owns the HPA)")
    if t.get("name") in scaled_targets: err(d, "a second ScaledObject for the same Deployment")
    scaled_targets.add(t.get("name"))
    lo, hi = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if not isinstance(lo, int) or not isinstance(hi, int) or lo < 1 or lo > hi: err(d, f"replica range {lo}..{hi} (min >= 1: a worker group never scales to zero)")
    triggers = spec.get("triggers") or []
    if not triggers: err(d, "no triggers")
    for tr in triggers:
        if not tr.get("type") or not isinstance(tr.get("metadata"), dict): err(d, f"trigger without type/metadata: {tr}")
    cpu = [tr for tr in triggers if tr.get("type") == "cpu"]
    if not cpu or any(tr.get("metricType") != "Utilization" or not str((tr.get("metadata") or {}).get("value", "")).isdigit() for tr in cpu):
        err(d, "no CPU Utilization trigger as a floor")
    covered = set()
    for tr in triggers:
        md = tr.get("metadata") or {}
        if tr.get("type") == "temporal":
            if not (md.get("endpoint") or md.get("endpointFromEnv")): err(d, f"temporal trigger {tr.get('name')} without endpoint")
            env_name = md.get("endpointFromEnv")
            if env_name and env_name not in config: err(d, f"endpointFromEnv {env_name} is not in the ConfigMap")
            if not str(md.get("targetQueueSize", "")).isdigit(): err(d, f"temporal trigger {tr.get('name')}: targetQueueSize")
            if not set(str(md.get("queueTypes", "workflow,activity")).split(",")) <= {"workflow", "activity"}: err(d, f"queueTypes {md.get('queueTypes')}")
            covered.add(md.get("taskQueue"))
        if tr.get("type") == "prometheus":
            q = str(md.get("query", ""))
            covered |= {x for x in queues_of(target) if f'task_queue="{x}"' in q}
    missing_q = queues_of(target) - covered
    if missing_q: err(d, f"task queues without a backlog/latency trigger: {sorted(missing_q)}")
for w in workers:
    if w not in hpa_targets and w not in scaled_targets: errors.append(f"worker Deployment {w} has no ScaledObject or HPA")
if errors: print("\n".join(errors)); sys.exit(1)
PYEOF
fi

# ---------------------------------------------------------------------------------------------- logging
step "logs"
run "logback-json.xml is well-formed and uses LogstashEncoder" "$PY" - app/src/main/resources/logback-json.xml app/pom.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
encoders = [e.get("class") for e in root.iter("encoder")]
if "net.logstash.logback.encoder.LogstashEncoder" not in encoders: print("no LogstashEncoder:", encoders); sys.exit(1)
pom = ET.parse(sys.argv[2]).getroot()
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
deps = [(d.findtext("m:groupId", namespaces=ns), d.findtext("m:artifactId", namespaces=ns)) for d in pom.iterfind(".//m:dependency", ns)]
if ("net.logstash.logback", "logstash-logback-encoder") not in deps: print("app/pom.xml lacks logstash-logback-encoder"); sys.exit(1)
PYEOF

# ---------------------------------------------------------------------------------------------- CI
step "ci"
run ".github/workflows/ci.yml runs ./test.sh and builds the image" "$PY" - .github/workflows/ci.yml <<'PYEOF'
import os, re, sys, yaml
path = sys.argv[1]
if not os.path.exists(path): print(f"{path} is missing"); sys.exit(1)
wf = yaml.safe_load(open(path))
errors = []
# YAML reads a bare `on:` key as the boolean True.
triggers = wf.get("on", wf.get(True)) or {}
if isinstance(triggers, str): triggers = {triggers: None}
if isinstance(triggers, list): triggers = {t: None for t in triggers}
for event in ("push", "pull_request"):
    if event not in triggers: errors.append(f"not run on {event}")
jobs = wf.get("jobs") or {}
if not jobs: errors.append("no jobs")
steps = [(name, st) for name, job in jobs.items() for st in (job.get("steps") or [])]
for name, job in jobs.items():
    if not job.get("runs-on"): errors.append(f"job {name}: no runs-on")
    if not job.get("steps"): errors.append(f"job {name}: no steps")
    for need in ([job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs") or []):
        if need not in jobs: errors.append(f"job {name} needs unknown job {need}")
# The README's test command, exactly.
if not any(re.search(r"(^|\s|&&|;)\./test\.sh(\s|$)", str(st.get("run", ""))) for _, st in steps):
    errors.append("no step runs ./test.sh")
if not any(st.get("uses", "").startswith("actions/setup-java") and str((st.get("with") or {}).get("java-version")) == "17" for _, st in steps):
    errors.append("no Java 17 setup")
# The image: a docker build (CLI or build-push-action) of a Dockerfile that exists.
dockerfiles = set()
for _, st in steps:
    w = st.get("with") or {}
    if st.get("uses", "").startswith("docker/build-push-action"):
        dockerfiles.add(w.get("file", "Dockerfile"))
    for m in re.finditer(r"docker (?:buildx )?build\b[^\n]*?-f\s+(\S+)", str(st.get("run", ""))):
        dockerfiles.add(m.group(1))
if not dockerfiles: errors.append("no step builds the image")
for f in dockerfiles:
    if not os.path.exists(f): errors.append(f"builds {f}, which does not exist")
if errors: print("\n".join(errors)); sys.exit(1)
PYEOF

# ---------------------------------------------------------------------------------------------- result
ELAPSED=$(( $(date +%s) - START ))
echo
if [ "$FAILURES" -gt 0 ]; then
    echo "deployment/check.sh: $FAILURES check(s) FAILED (${ELAPSED}s)" >&2
    exit 1
fi
echo "deployment/check.sh: all deployment checks passed (${ELAPSED}s)"
