"""SMS through Alibaba Cloud Short Message Service (Dysmsapi `SendSms`, API version 2017-05-25).

The API is RPC style: every request carries the common parameters and is signed with the
AccessKey secret (HMAC-SHA1, signature version 1.0). The standard library is enough for that,
which keeps the vendor SDK and its transitive dependencies out of the alert service.

Idempotency: Dysmsapi itself does NOT deduplicate on OutId (its SendSms reference says SMS has
no idempotency and callers must provide it). A request it accepted whose answer was lost (a read
timeout) would be sent a second time by the retry. So every later try of an OutId (`attempt` > 1)
first asks `QuerySendDetails` what became of the earlier ones; see `AliyunSmsProvider.send`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from typing import Callable, Mapping
from urllib.parse import quote

from services.alert.config import ALIYUN_ENDPOINT
from services.alert.phones import mask
from services.alert.sms import LEASE_SECONDS, OutgoingSms, SmsError
from services.alert.templates import KINDS
from services.common.clock import LEGAL_TZ, Clock, SystemClock

log = logging.getLogger(__name__)

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = ALIYUN_ENDPOINT   # the setting's default (ALERT_SMS_ENDPOINT)
# Dysmsapi serves every region from one endpoint; the parameter is required all the same.
DEFAULT_REGION = "cn-hangzhou"
# The kinds an SMS row may carry (sms_deliveries.template, set by services/alert/templates.py and
# pacing.py); each needs a template code approved in the Alibaba Cloud console, configured by
# ALERT_SMS_TEMPLATES. Listed so that a misspelt kind stops start-up instead of failing SMS later.
TEMPLATE_KINDS = KINDS   # every kind a template may be configured for
# Answers are a few hundred bytes (a page of QuerySendDetails a few dozen KB); never read an
# unbounded body from the network.
MAX_REPLY_BYTES = 256 * 1024
# QuerySendDetails: at most 50 records a page; 10 pages a day is far beyond what one number is
# sent in a day (Alibaba's own per-number limits are much lower).
QUERY_PAGE_SIZE = 50
QUERY_MAX_PAGES = 10
# QuerySendDetails answers for the last 30 days only (its SendDate).
QUERY_DAYS_KEPT = 30
# SendStatus of a record: 1 waiting for the carrier's receipt, 2 failed at the carrier, 3 delivered.
FAILED_AT_CARRIER = 2
# Every call of one send must be able to end (one timeout) within this many seconds of its start,
# which leaves a third of the sender's claim on the delivery for recording the outcome: a lookup
# that runs long must not let another sender take the delivery while this one still sends it.
CALL_BUDGET_SECONDS = LEASE_SECONDS * 2 / 3


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud signs it: UTF-8, only A-Z a-z 0-9 - _ . ~ left as they
    are, space as %20 (not +), * as %2A. (Java's URLEncoder needs the documented +/*/%7E fix-ups;
    Python's quote with nothing marked safe already produces this.)"""
    return quote(value, safe="")


def canonical_query(params: Mapping[str, str]) -> str:
    """Parameters sorted by name, each name and value percent-encoded, joined with = and &."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(method: str, params: Mapping[str, str], secret: str) -> str:
    """Base64(HMAC-SHA1(secret + "&", StringToSign)) over every parameter except Signature."""
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, unsigned).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Refusals about this message or this deployment's configuration: sending again cannot succeed.
PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL": "手机号码不合法",
    "isv.MOBILE_COUNT_OVER_LIMIT": "手机号码数量超过限制",
    "isv.SMS_TEMPLATE_ILLEGAL": "短信模板不存在或未通过审核",
    "isv.SMS_SIGNATURE_ILLEGAL": "短信签名不存在或未通过审核",
    "isv.SMS_SIGN_ILLEGAL": "短信签名被禁止使用",
    "isv.TEMPLATE_MISSING_PARAMETERS": "短信模板缺少变量",
    "isv.INVALID_PARAMETERS": "请求参数不合法",
    "isv.INVALID_JSON_PARAM": "模板变量不是合法的 JSON",
    "isv.PARAM_LENGTH_LIMIT": "模板变量超出长度限制",
    "isv.PARAM_NOT_SUPPORT_URL": "模板变量不允许包含网址",
    "isv.BLACK_KEY_CONTROL_LIMIT": "短信内容命中黑名单关键字",
    "isv.SMS_CONTENT_ILLEGAL": "短信内容包含禁止发送的内容",
    "isv.ACCOUNT_NOT_EXISTS": "阿里云账户不存在",
    "isv.ACCOUNT_ABNORMAL": "阿里云账户异常",
    "isv.PRODUCT_UN_SUBSCRIPT": "阿里云账户未开通短信服务",
    "isv.PRODUCT_UNSUBSCRIBE": "阿里云账户未开通短信服务",
    "isp.RAM_PERMISSION_DENY": "访问密钥没有调用该短信接口的权限",
    "InvalidAccessKeyId.NotFound": "访问密钥 ID 不存在",
    "InvalidAccessKeyId.Inactive": "访问密钥已被停用",
    "SignatureDoesNotMatch": "请求签名不匹配（请检查访问密钥 Secret）",
    "IncompleteSignature": "请求签名不完整",
}
# Refusals that pass: rate limits, a topped-up balance, the platform's own failures.
TRANSIENT = {
    "isv.BUSINESS_LIMIT_CONTROL": "触发发送频率限制",
    "isv.DAY_LIMIT_CONTROL": "触发每日发送限额",
    "isv.OUT_OF_SERVICE": "短信业务停机（账户欠费）",
    "isv.AMOUNT_NOT_ENOUGH": "账户余额不足",
    "isp.SYSTEM_ERROR": "短信平台系统错误",
    "SignatureNonceUsed": "请求随机数重复",
    "InvalidTimeStamp.Expired": "请求时间戳已过期（请检查服务器时钟）",
    "ServiceUnavailable": "短信服务暂不可用",
    "InternalError": "短信服务内部错误",
}


def refusal(code: str, message: str = "", request_id: str = "") -> SmsError:
    """The SmsError for a provider code. Codes not listed are judged by their family: `isv.`
    (the caller's account, template or input) and malformed requests are permanent; throttling,
    `isp.` (the platform) and anything unknown are retried, within the delivery loop's bound."""
    if code in PERMANENT or code in TRANSIENT:
        permanent, what = code in PERMANENT, PERMANENT.get(code) or TRANSIENT[code]
    elif code.startswith("Throttling"):
        permanent, what = False, "请求被限流"
    elif code.startswith(("isv.", "Invalid", "Missing", "Forbidden")):
        permanent, what = True, "请求被拒绝"
    else:
        permanent, what = False, "暂时无法发送"
    detail = f"：{message}" if message else ""
    rid = f"，RequestId {request_id}" if request_id else ""
    return SmsError(f"阿里云短信{what}（{code}{detail}{rid}）", permanent=permanent)


def _domestic(mobile: str) -> str:
    """The number as QuerySendDetails wants a mainland one: 11 digits, no +86/0086/86 prefix."""
    for prefix in ("+86", "0086", "86"):
        if mobile.startswith(prefix) and len(mobile) - len(prefix) == 11:
            return mobile[len(prefix):]
    return mobile


def send_details(reply: Mapping) -> tuple[list[dict], int | None]:
    """The records of one QuerySendDetails answer (`SmsSendDetailDTOs.SmsSendDetailDTO`) and its
    TotalCount, None when absent. ValueError when the answer does not have that shape."""
    dtos = reply.get("SmsSendDetailDTOs")
    if dtos is not None and not isinstance(dtos, dict):
        raise ValueError("SmsSendDetailDTOs is not an object")
    records = (dtos or {}).get("SmsSendDetailDTO") or []
    if isinstance(records, dict):  # a lone record, as XML-to-JSON conversions may render it
        records = [records]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("SmsSendDetailDTOs is not a list of records")
    total = reply.get("TotalCount")  # documented as a string, answered as a number: take either
    return records, None if total in (None, "") else int(total)


def taken(records: list[dict], out_id: str) -> dict | None:
    """A record showing that an earlier try of `out_id` was taken: any of its records except those
    the carrier failed (SendStatus 2). A record waiting for its receipt (1) counts as taken, and so
    does one whose status cannot be read: better one reminder missing than one sent twice."""
    for record in records:
        if str(record.get("OutId") or "") != out_id:
            continue
        try:
            status = int(record.get("SendStatus"))
        except (TypeError, ValueError):
            status = None
        if status != FAILED_AT_CARRIER:
            return record
    return None


class AliyunSmsProvider:
    """Sends each SMS as one signed `SendSms` POST (POST keeps mobile numbers out of URLs and
    access logs), a later try only after `QuerySendDetails` shows no earlier one was taken (so the
    AccessKey's RAM user needs `dysms:QuerySendDetails` as well as `dysms:SendSms`). Raises
    SmsError: permanent for refusals that cannot pass, transient otherwise."""

    name = "aliyun"

    def __init__(self, *, access_key_id: str, access_key_secret: str, sign_name: str,
                 templates: Mapping[str, str], endpoint: str = DEFAULT_ENDPOINT, timeout: float = 5.0,
                 region: str = DEFAULT_REGION, clock: Clock | None = None,
                 nonce: Callable[[], str] = lambda: uuid.uuid4().hex) -> None:
        self._key_id = access_key_id
        self._secret = access_key_secret
        self._sign_name = sign_name
        self._templates = dict(templates)
        self._endpoint = endpoint
        self._timeout = timeout
        self._region = region
        # The Timestamp is checked against Alibaba's clock (±15 minutes), so it is real time,
        # never the court's business clock, which tests and demos move.
        self._clock = clock or SystemClock()
        self._nonce = nonce

    def _signed(self, action: str, params: Mapping[str, str]) -> dict[str, str]:
        """The common parameters, `params` and the signature of one `action` request."""
        signed = {
            "AccessKeyId": self._key_id, "Action": action, "Format": "JSON", "RegionId": self._region,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self._nonce(), "SignatureVersion": "1.0",
            "Timestamp": self._clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION, **params,
        }
        signed["Signature"] = signature("POST", signed, self._secret)
        return signed

    def request_params(self, sms: OutgoingSms) -> dict[str, str]:
        """The signed parameters of one SendSms request."""
        code = self._templates.get(sms.template)
        if not code:
            kind = sms.template or "未分类"
            raise SmsError(f"阿里云短信未配置“{kind}”类提醒的模板编号（ALERT_SMS_TEMPLATES），无法发送",
                           permanent=True)
        params = {"PhoneNumbers": sms.mobile, "SignName": self._sign_name, "TemplateCode": code,
                  "OutId": sms.out_id}
        if sms.params:
            # Dysmsapi accepts only string values (isv.INVALID_JSON_PARAM otherwise): a number of
            # days must not cost the reminder.
            values = {k: str(v) for k, v in sms.params.items()}
            params["TemplateParam"] = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        return self._signed("SendSms", params)

    def query_params(self, mobile: str, send_date: date, page: int) -> dict[str, str]:
        """The signed parameters of one QuerySendDetails request: one page of what was sent to
        `mobile` on `send_date` (a date in China time)."""
        return self._signed("QuerySendDetails", {
            "PhoneNumber": _domestic(mobile), "SendDate": send_date.strftime("%Y%m%d"),
            "PageSize": str(QUERY_PAGE_SIZE), "CurrentPage": str(page)})

    def send(self, sms: OutgoingSms) -> None:
        params = self.request_params(sms)  # an unconfigured kind fails before any request
        deadline = time.monotonic() + CALL_BUDGET_SECONDS
        if sms.attempt > 1:
            # A later try may follow a lost reply to a request Alibaba did take; it would send the
            # SMS again. So look first; if the lookup cannot answer, wait rather than risk it
            # (a lookup refused for want of permission, too: the operator can grant it).
            days = self._days_to_search(sms)
            try:
                earlier = self.earlier_try(sms, days, deadline)
            except SmsError as exc:
                raise SmsError(f"无法确认上次发送结果，为免重复发送暂不重发：{exc}") from None
            if earlier is not None:
                log.info("SMS %s to %s was taken by aliyun on an earlier try (SendStatus %s, SendDate %s); "
                         "not sent again", sms.out_id, mask(sms.mobile), earlier.get("SendStatus"),
                         earlier.get("SendDate"))
                return
        reply = self._call(params, deadline)
        log.info("SMS %s to %s accepted by aliyun, BizId %s", sms.out_id, mask(sms.mobile), reply.get("BizId"))

    def earlier_try(self, sms: OutgoingSms, days: list[date], deadline: float) -> dict | None:
        """The record of an earlier try of `sms` that Alibaba took (see `taken`), or None when
        there is none, or only tries the carrier failed: then sending again is safe.

        Records are kept per number and China-time day; `days` are those to read, newest first.
        Raises SmsError when the answer is incomplete: a failed call, more pages than
        QUERY_MAX_PAGES, or fewer records than the TotalCount it announced."""
        for day in days:
            seen = total = 0
            for page in range(1, QUERY_MAX_PAGES + 1):
                reply = self._call(self.query_params(sms.mobile, day, page), deadline)
                try:
                    records, total = send_details(reply)
                except ValueError:
                    raise SmsError(f"阿里云短信发送记录的应答无法识别（{day:%Y%m%d} 第 {page} 页）") from None
                if (record := taken(records, sms.out_id)) is not None:
                    return record
                seen += len(records)
                if len(records) < QUERY_PAGE_SIZE or (total is not None and seen >= total):
                    break
            else:
                raise SmsError(f"阿里云短信发送记录超过 {QUERY_MAX_PAGES} 页（{day:%Y%m%d}），未能查完")
            if total is not None and seen < total:
                raise SmsError(f"阿里云短信发送记录不完整（{day:%Y%m%d} 共 {total} 条，只返回 {seen} 条）")
        return None

    def _days_to_search(self, sms: OutgoingSms) -> list[date]:
        """From today back to the day of the first try, and the day before it (Alibaba dates a
        record by its clock, we by ours); where that is not known, today and yesterday (a retry
        across midnight: quiet hours hold retries overnight). A first try older than Alibaba
        keeps records for cannot be checked: that fails for good, rather than risk a second SMS."""
        today = self._clock.now().astimezone(LEGAL_TZ).date()
        first = sms.first_try.astimezone(LEGAL_TZ).date() if sms.first_try is not None else today
        back = max((today - first).days, 0)   # days from the first try to today
        if back >= QUERY_DAYS_KEPT:
            raise SmsError(f"无法确认上次发送结果：首次发送在 {first:%Y-%m-%d}，阿里云只保留最近 {QUERY_DAYS_KEPT} "
                           "天的发送记录，为免重复发送不再重发", permanent=True)
        return [today - timedelta(days=n) for n in range(min(back + 2, QUERY_DAYS_KEPT))]

    def _call(self, params: Mapping[str, str], deadline: float) -> dict:
        """POST one signed request; its answer when Code is OK, SmsError otherwise."""
        if time.monotonic() + self._timeout > deadline:
            raise SmsError(f"阿里云短信接口应答过慢，本次未能在 {CALL_BUDGET_SECONDS:g} 秒内完成")
        status, body = self._post(canonical_query(params).encode("ascii"))
        try:
            reply = json.loads(body)
        except ValueError:
            reply = None
        code = reply.get("Code") if isinstance(reply, dict) else None
        if not isinstance(code, str) or not code:
            # A proxy's error page or a truncated answer: nothing says the SMS was refused.
            raise SmsError(f"阿里云短信接口返回无法识别的应答（HTTP {status}）")
        if code == "OK" and 200 <= status < 300:
            return reply
        raise refusal(code, str(reply.get("Message") or ""), str(reply.get("RequestId") or ""))

    def _post(self, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(self._endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"})
        # The timeout bounds each connect and read, so a call ends well within the sender's claim.
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as reply:
                return reply.status, reply.read(MAX_REPLY_BYTES)
        except urllib.error.HTTPError as exc:  # 4xx/5xx still carry the JSON with the Code
            with exc:
                return exc.code, exc.read(MAX_REPLY_BYTES)
        except TimeoutError:
            raise SmsError(f"阿里云短信接口超时（{self._timeout:g} 秒内无应答）") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise SmsError(f"连接阿里云短信接口超时（{self._timeout:g} 秒）") from None
            raise SmsError(f"无法连接阿里云短信接口：{exc.reason}") from None
        except (http.client.HTTPException, OSError) as exc:
            raise SmsError(f"阿里云短信接口连接中断：{type(exc).__name__}") from None
