#!/usr/bin/env bash
# A walk through the API on the local stack (./run-local.sh): log in, list the plans, show the wallet, check out,
# follow the order until ACTIVE and find its server on the panel simulator. README.md quotes the commands between
# the markers verbatim and WalkthroughIT runs this script against the packaged local stack, so neither can go stale.
# A failed request (curl -f) or an unexpected answer stops it with a non-zero exit.
#
#   API_BASE    the orchestrator (default localhost:8080)
#   PANEL_BASE  the panel simulator (default localhost:8081)
#   ORDER_WAIT  how many 2-second polls to wait for ACTIVE (default 90)
set -euo pipefail

# >>> README walkthrough
API=${API_BASE:-localhost:8080}
PANEL=${PANEL_BASE:-localhost:8081}
WAIT=${ORDER_WAIT:-90}

# log in as the demo customer
TOKEN=$(curl -sf "$API/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"demo@admin-tk.local","password":"demo-password"}' | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
test -n "$TOKEN" || { echo "login: no access token" >&2; exit 1; }

# the plans for sale, cheapest first, and the customer's TK-Coins
curl -sf "$API/api/v1/plans" -H "Authorization: Bearer $TOKEN"; echo
curl -sf "$API/api/v1/wallet" -H "Authorization: Bearer $TOKEN"; echo

# checkout: 202 with the order id and a link to the run in the Temporal Web UI
# (the same request again replays the first response; another body with the same key is 422)
ACCEPTED=$(curl -sf -w ' HTTP %{http_code}' "$API/api/v1/orders" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: demo-order-$(date +%s)" \
  -d '{"planId":"paper-2g","serverName":"My SMP","paymentMethod":"tkcoins","eggVariables":{"MINECRAFT_VERSION":"1.21"}}')
echo "$ACCEPTED"
case "$ACCEPTED" in *' HTTP 202') ;; *) echo "checkout: expected 202" >&2; exit 1 ;; esac
ORDER_ID=$(echo "$ACCEPTED" | sed -n 's/.*"orderId":"\([^"]*\)".*/\1/p')

# follow the saga's step timeline until ACTIVE
for i in $(seq "$WAIT"); do
  ORDER=$(curl -sf "$API/api/v1/orders/$ORDER_ID" -H "Authorization: Bearer $TOKEN")
  STATUS=$(echo "$ORDER" | grep -o '"status":"[A-Z_]*"' | head -1 | cut -d'"' -f4)
  echo "order $ORDER_ID: $STATUS"
  case "$STATUS" in
    ACTIVE) break ;;
    *FAILED|REFUNDED|CANCELLED) echo "$ORDER" >&2; exit 1 ;;
  esac
  sleep 2
done
test "$STATUS" = ACTIVE || { echo "order $ORDER_ID not ACTIVE in time: $ORDER" >&2; exit 1; }
echo "$ORDER"

# the server on the panel simulator (external_id = order:<orderId>)
SERVERS=$(curl -sf "$PANEL/_sim/servers")
echo "$SERVERS"
echo "$SERVERS" | grep -q "\"external_id\":\"order:$ORDER_ID\"" || { echo "no server for order $ORDER_ID" >&2; exit 1; }
# <<< README walkthrough
