# What the integration tests share (sourced): a scratch directory removed on exit, and the
# ok/bad reporting that lets a test go on after a failure and exit 1 at the end (`exit $fail`).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
# Writes a Service that selects no pod (service/no-matching-pods) to FILE.
write_lonely_service() {
  cat >"$1" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
YAML
}
