"""A fake Alibaba Cloud SMS endpoint (Dysmsapi `SendSms` and `QuerySendDetails`, 2017-05-25), run as
its own process:

    python tests/fakes/sms_provider.py --port 0 --access-key-id ID --access-key-secret SECRET \
        --state-dir DIR [--sign-name 法院] [--templates SMS_1,SMS_2]

When ready it writes its port to DIR/port and prints `listening PORT`. It checks requests the way
the real service does (required parameters, timestamp within 15 minutes, nonce not reused, the
HMAC-SHA1 signature, computed here independently of the client's code) and appends each accepted
SMS to DIR/messages.jsonl (fsynced; read again on start).

Like the real service it is NOT idempotent on OutId: a second SendSms with an OutId already
accepted is a second SMS, appended like any other and counted under `duplicates`. Tests assert
`duplicates == 0` to show nothing was sent twice. `QuerySendDetails` answers from the accepted
SMS: per number and China-time day, paged, each record with its OutId, SendStatus (3 delivered
unless the control says otherwise), SendDate, ReceiveDate, Content and ErrCode.

Control (test only, unsigned): GET /_control → counters (`calls` per Action); POST /_control with
JSON:
    {"mode": "ok"}                            normal service
    {"mode": "fail", "status": 503}           the service is down (HTTP status, default 500)
    {"mode": "error", "code": "isv.X"}        refuse every valid request with this code
    {"mode": "query_fail", "status": 503}     only QuerySendDetails fails (with "code": that code)
    {"mode": "timeout", "accept": false}      hold the request without answering until the mode
                                              changes (with accept: record a SendSms first: a
                                              lost reply)
    {"mode": "slow", "delay_ms": 300}         answer normally after a delay
Any control may also set how SMS accepted under it are recorded: "send_status" (1 waiting for the
receipt, 2 failed at the carrier, 3 delivered: the default), "err_code", and "days_ago" (dated
that many days back, as if sent before midnight).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

SKEW_SECONDS = 15 * 60  # Alibaba Cloud refuses timestamps further off, and remembers nonces as long
COMMON = ("AccessKeyId", "Action", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp",
          "Version", "Signature")
MOBILE = re.compile(r"^(?:\+?86|0086)?1[3-9]\d{9}$")
CHINA = ZoneInfo("Asia/Shanghai")  # SendDate and the dates records are kept under
ACTIONS = ("SendSms", "QuerySendDetails")


def _encode(value: str) -> str:
    # Written from the specification, not shared with services/alert/sms_http.py, so a mistake in
    # the client's encoding is caught here rather than mirrored.
    out = []
    for byte in value.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "-_.~") else f"%{byte:02X}")
    return "".join(out)


def expected_signature(method: str, params: dict[str, str], secret: str) -> tuple[str, str]:
    """(signature, StringToSign) as the server computes them."""
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()) if k != "Signature")
    to_sign = f"{method}&%2F&{_encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode(), to_sign


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


class Fake:
    def __init__(self, args) -> None:
        self.key_id, self.secret = args.access_key_id, args.access_key_secret
        self.sign_name = args.sign_name
        self.templates = set(filter(None, args.templates.split(","))) if args.templates else None
        self.messages = Path(args.state_dir) / "messages.jsonl"
        self.lock = threading.Lock()
        self.control = {"mode": "ok"}
        self.release = threading.Event()  # set when the mode changes: held requests let go
        self.nonces: dict[str, float] = {}
        self.records: list[dict] = []  # every accepted SMS, in order: what QuerySendDetails reads
        self.accepted: set[str] = set()  # OutIds
        self.counters = {"requests": 0, "messages": 0, "duplicates": 0, "calls": {}, "refused": {}}
        if self.messages.exists():
            for line in self.messages.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self._remember(json.loads(line))

    def _remember(self, record: dict) -> None:
        out_id = record["out_id"]
        if out_id and out_id in self.accepted:
            self.counters["duplicates"] += 1
        if out_id:
            self.accepted.add(out_id)
        self.records.append(record)
        self.counters["messages"] += 1

    def set_control(self, control: dict) -> dict:
        with self.lock:
            self.control = control
            self.release.set()
            self.release = threading.Event()
            return self.state()

    def state(self) -> dict:
        return {"control": self.control, **json.loads(json.dumps(self.counters))}

    def check(self, method: str, params: dict[str, str]) -> None:
        """Refuse the request the way Dysmsapi would; return when it may be sent."""
        for name in COMMON:
            if not params.get(name):
                raise Refused(400, f"Missing{name}", f"{name} is mandatory for this action.")
        if params["AccessKeyId"] != self.key_id:
            raise Refused(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
            raise Refused(400, "InvalidParameter", "Unsupported signature method or version.")
        try:
            stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            raise Refused(400, "InvalidTimeStamp.Format", "Specified time stamp is not valid.") from None
        if abs(time.time() - stamp.timestamp()) > SKEW_SECONDS:
            raise Refused(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        wanted, to_sign = expected_signature(method, params, self.secret)
        if not hmac.compare_digest(wanted, params["Signature"]):
            raise Refused(400, "SignatureDoesNotMatch",
                          f"Specified signature is not matched with our calculation. server string to sign is:{to_sign}")
        with self.lock:
            now = time.time()
            self.nonces = {n: t for n, t in self.nonces.items() if now - t < SKEW_SECONDS}
            if params["SignatureNonce"] in self.nonces:
                raise Refused(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self.nonces[params["SignatureNonce"]] = now
        if params["Action"] not in ACTIONS or params["Version"] != "2017-05-25":
            raise Refused(404, "InvalidAction.NotFound", "Specified api is not found.")
        if params["Action"] == "QuerySendDetails":
            return self.check_query(params)
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not params.get(name):
                raise Refused(400, f"Missing{name}", f"{name} is mandatory for this action.")
        if not all(MOBILE.match(m) for m in params["PhoneNumbers"].split(",")):
            raise Refused(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if self.sign_name and params["SignName"] != self.sign_name:
            raise Refused(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if self.templates is not None and params["TemplateCode"] not in self.templates:
            raise Refused(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        if "TemplateParam" in params:
            try:
                values = json.loads(params["TemplateParam"])
            except ValueError:
                values = None
            if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
                raise Refused(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")

    def check_query(self, params: dict[str, str]) -> None:
        for name in ("PhoneNumber", "SendDate", "PageSize", "CurrentPage"):
            if not params.get(name):
                raise Refused(400, f"Missing{name}", f"{name} is mandatory for this action.")
        if not MOBILE.match(params["PhoneNumber"]):
            raise Refused(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        try:
            day = datetime.strptime(params["SendDate"], "%Y%m%d").date()
            size, page = int(params["PageSize"]), int(params["CurrentPage"])
        except ValueError:
            raise Refused(200, "isv.INVALID_PARAMETERS", "参数格式不正确") from None
        if not 0 <= (datetime.now(CHINA).date() - day).days <= 30:
            raise Refused(200, "isv.INVALID_PARAMETERS", "SendDate 只支持最近 30 天")
        if not 1 <= size <= 50 or page < 1:
            raise Refused(200, "isv.INVALID_PARAMETERS", "PageSize 取值 1~50，CurrentPage 从 1 起")

    def accept(self, method: str, params: dict[str, str], control: dict) -> str:
        """Send the SMS: record it (a repeated OutId is sent again, as Dysmsapi does)."""
        with self.lock:
            biz_id = f"{int(time.time() * 1000)}^{uuid.uuid4().hex[:10]}"
            values = json.loads(params.get("TemplateParam") or "{}")
            sent = datetime.now(CHINA) - timedelta(days=int(control.get("days_ago", 0)))
            status = int(control.get("send_status", 3))
            received = "" if status == 1 else (sent + timedelta(seconds=3)).strftime("%Y-%m-%d %H:%M:%S")
            record = {"biz_id": biz_id, "out_id": params.get("OutId", ""), "method": method,
                      "phone_numbers": params["PhoneNumbers"], "sign_name": params["SignName"],
                      "template_code": params["TemplateCode"], "template_param": values,
                      "region_id": params.get("RegionId"), "format": params.get("Format"),
                      "received_at": datetime.now(timezone.utc).isoformat(),
                      # what QuerySendDetails tells of it
                      "send_status": status, "send_date": sent.strftime("%Y-%m-%d %H:%M:%S"),
                      "receive_date": received,
                      "err_code": control.get("err_code") or {1: "", 3: "DELIVERED"}.get(status, "FAKE:UNDELIVERED"),
                      "content": f"【{params['SignName']}】{params['TemplateCode']} "
                                 + "；".join(f"{k}：{v}" for k, v in values.items())}
            with open(self.messages, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            self._remember(record)
            return biz_id

    def query(self, params: dict[str, str]) -> dict:
        """One page of QuerySendDetails: the SMS sent to one number on one China-time day."""
        phone, day = _national(params["PhoneNumber"]), params["SendDate"]
        size, page = int(params["PageSize"]), int(params["CurrentPage"])
        with self.lock:
            found = [r for r in self.records
                     if phone in map(_national, r["phone_numbers"].split(","))
                     and r["send_date"][:10].replace("-", "") == day
                     and params.get("BizId", r["biz_id"]) == r["biz_id"]]
        dtos = [{"PhoneNum": phone, "SendStatus": r["send_status"], "ErrCode": r["err_code"],
                 "TemplateCode": r["template_code"], "Content": r["content"], "SendDate": r["send_date"],
                 "ReceiveDate": r["receive_date"], "OutId": r["out_id"]}
                for r in found[(page - 1) * size:page * size]]
        return {"TotalCount": len(found), "SmsSendDetailDTOs": {"SmsSendDetailDTO": dtos}}


def _national(mobile: str) -> str:
    return mobile[-11:]  # a mainland number without +86 / 0086 / 86 (MOBILE was checked)


def handler_for(fake: Fake):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            if self.path == "/_control":
                with fake.lock:
                    return self._reply(200, fake.state())
            self._sms("GET", self.path.partition("?")[2])

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            if self.path == "/_control":
                return self._reply(200, fake.set_control(json.loads(body or "{}")))
            self._sms("POST", body)

        def _sms(self, method: str, query: str) -> None:
            request_id = str(uuid.uuid4()).upper()
            try:
                params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query),
                                        encoding="utf-8", errors="strict"))
            except (ValueError, UnicodeDecodeError):
                params = None
            action = (params or {}).get("Action", "")
            with fake.lock:
                fake.counters["requests"] += 1
                calls = fake.counters["calls"]
                calls[action] = calls.get(action, 0) + 1
                control, release = dict(fake.control), fake.release
            mode = control.get("mode", "ok")
            if mode == "fail":  # an outage: nothing is checked or recorded
                status = int(control.get("status", 500))
                code = "ServiceUnavailable" if status == 503 else "InternalError"
                return self._reply(status, {"RequestId": request_id, "Code": code, "Message": "服务暂不可用"})
            if mode == "slow":
                time.sleep(int(control.get("delay_ms", 500)) / 1000)
            try:
                if self.path.partition("?")[0] != "/":
                    raise Refused(404, "InvalidAction.NotFound", "Specified api is not found.")
                if params is None:
                    raise Refused(400, "InvalidParameter", "Malformed request.")
                fake.check(method, params)
                if mode == "error":
                    code = str(control.get("code", "isv.BUSINESS_LIMIT_CONTROL"))
                    raise Refused(int(control.get("status", 200)), code, f"fake refusal {code}")
                if mode == "query_fail" and action == "QuerySendDetails":
                    status = int(control.get("status", 503))
                    code = str(control.get("code") or ("ServiceUnavailable" if status == 503 else "InternalError"))
                    raise Refused(status, code, "发送记录暂不可查")
                if mode == "timeout":
                    if control.get("accept") and action == "SendSms":
                        fake.accept(method, params, control)
                    release.wait(int(control.get("delay_ms", 60_000)) / 1000)
                    self.close_connection = True  # the client has given up; answer nothing
                    return
                if action == "QuerySendDetails":
                    answer = fake.query(params)
                else:
                    answer = {"BizId": fake.accept(method, params, control)}
            except Refused as exc:
                with fake.lock:
                    refused = fake.counters["refused"]
                    refused[exc.code] = refused.get(exc.code, 0) + 1
                return self._reply(exc.status, {"RequestId": request_id, "Code": exc.code, "Message": exc.message})
            self._reply(200, {"RequestId": request_id, "Message": "OK", "Code": "OK", **answer})

        def _reply(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--sign-name", default="", help="the one approved signature (any when empty)")
    parser.add_argument("--templates", default="", help="approved template codes, comma-separated (any when empty)")
    args = parser.parse_args(argv)
    Path(args.state_dir).mkdir(parents=True, exist_ok=True)
    port_file = Path(args.state_dir) / "port"
    port_file.unlink(missing_ok=True)  # a restarted fake must not be found at its old port
    server = ThreadingHTTPServer((args.host, args.port), handler_for(Fake(args)))
    server.daemon_threads = True
    port = server.server_address[1]
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(port))
    tmp.replace(port_file)  # readers see the whole port or no file
    print(f"listening {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
