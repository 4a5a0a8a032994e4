#!/usr/bin/env bash
# Mutation check for the write permissions (issue 21): removes each write's permission check on its
# own (re-run, pause, resume, update, delete, create, create for no entity), runs the viewer test
# (packages/backend/src/integration/viewerRole.test.ts) and prints which of its tests fail. Each
# removal must fail exactly its own test. Restores the sources afterwards; not part of `./run test`.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bak=$(mktemp -d)
trap 'cp "$bak/RM" "$RM"; cp "$bak/RC" "$RC"; rm -rf "$bak"' EXIT
RM=plugins/kratix-backend/src/service/ResourceManagement.ts
RC=plugins/kratix-node/src/creation/ResourceCreation.ts
cp "$RM" "$bak/RM"; cp "$RC" "$bak/RC"
run() { (cd packages/backend && timeout 600 ../../run backstage-cli package test --watchAll=false src/integration/viewerRole.test.ts 2>&1 | grep -E "✕|Tests:"); }
for action in reconcile pause resume update delete; do
  python3 - "$action" <<'PY'
import sys
p='plugins/kratix-backend/src/service/ResourceManagement.ts'
s=open(p).read()
old="      await this.authorize(action, entityRef, context.credentials);"
assert old in s
s=s.replace(old,f"      if (action !== '{sys.argv[1]}') await this.authorize(action, entityRef, context.credentials);")
open(p,'w').write(s)
PY
  echo "== without the $action check"; run; cp "$bak/RM" "$RM"
done
for which in "You may not create Kratix Resources for" "entityRef: required"; do
  python3 - "$which" <<'PY'
import sys
p='plugins/kratix-node/src/creation/ResourceCreation.ts'
s=open(p).read()
i=s.index(sys.argv[1]); j=s.rindex("if (decision.result !== AuthorizeResult.ALLOW)",0,i)
s=s[:j]+"if (false)"+s[j+len("if (decision.result !== AuthorizeResult.ALLOW)"):]
open(p,'w').write(s)
PY
  echo "== without the create check ($which)"; run; cp "$bak/RC" "$RC"
done
git diff --stat $RM $RC
