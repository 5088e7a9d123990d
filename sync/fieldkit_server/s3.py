"""A small S3 client: put, get (streamed), head and delete of one object, signed with AWS
Signature Version 4 over ``requests``.

Why not boto3 or botocore: the office needs four calls on one bucket; botocore brings its
data files for every AWS service and its own HTTP stack, while these calls are a page of
signing code over the HTTP client fieldkit already ships. Every S3-compatible store speaks
SigV4 (MinIO, Ceph RGW, Alibaba OSS, Tencent COS, rclone serve s3).

Configured as the S3 tools are, from the environment: ``AWS_ENDPOINT_URL_S3`` or
``AWS_ENDPOINT_URL`` (none: AWS itself), ``AWS_REGION`` or ``AWS_DEFAULT_REGION``
(default ``us-east-1``), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` and
``AWS_SESSION_TOKEN``. Buckets are addressed by path (``endpoint/bucket/key``), which
MinIO, Ceph and rclone expect; ``FIELDKIT_S3_ADDRESSING=virtual`` asks for
``bucket.endpoint/key``, which Alibaba OSS and Tencent COS require (and AWS prefers).

A PUT is signed with the sha256 of its body (``x-amz-content-sha256``), so the store
itself refuses bytes that changed on the way.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import requests

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 30.0
CHUNK = 64 * 1024
ADDRESSING_ENV = "FIELDKIT_S3_ADDRESSING"


class S3Error(Exception):
    """The store answered with an error (``status`` is its HTTP status)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status}: {text[:300]}")
        self.status = status


class S3Unreachable(Exception):
    """No answer from the store: refused, reset, timed out, or a 5xx."""


@dataclass(frozen=True)
class S3Config:
    bucket: str
    prefix: str
    endpoint: str
    region: str
    access_key: str
    secret_key: str
    session_token: str = ""
    virtual_host: bool = False

    @classmethod
    def from_url(cls, url: str, env: Mapping[str, str] | None = None) -> S3Config:
        """``s3://bucket/prefix`` with the rest from the environment; ValueError if wrong."""
        env = os.environ if env is None else env
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix address: {url}")
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or ""
        addressing = env.get(ADDRESSING_ENV, "").strip().lower()
        if not endpoint:
            endpoint = f"https://s3.{region}.amazonaws.com"
            addressing = addressing or "virtual"
        if addressing not in ("", "path", "virtual"):
            raise ValueError(f"{ADDRESSING_ENV} must be 'path' or 'virtual', not {addressing}")
        access, secret = env.get("AWS_ACCESS_KEY_ID", ""), env.get("AWS_SECRET_ACCESS_KEY", "")
        if not access or not secret:
            raise ValueError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set")
        return cls(
            bucket=parts.netloc,
            prefix=parts.path.strip("/"),
            endpoint=endpoint.rstrip("/"),
            region=region,
            access_key=access,
            secret_key=secret,
            session_token=env.get("AWS_SESSION_TOKEN", ""),
            virtual_host=addressing == "virtual",
        )

    @property
    def shown(self) -> str:
        """Where objects go, without credentials: for logs and messages."""
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/") + f" ({self.endpoint})"


class S3Client:
    """Objects of one bucket under one prefix; keys are the names given to each call."""

    def __init__(self, config: S3Config, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()
        self.timeout = (CONNECT_TIMEOUT, READ_TIMEOUT)

    def key(self, name: str) -> str:
        return f"{self.config.prefix}/{name}" if self.config.prefix else name

    def put(self, name: str, data: bytes, sha256: str, media_type: str) -> None:
        headers = {"Content-Type": media_type, "Content-Length": str(len(data))}
        answer = self._send("PUT", name, headers, sha256, data=data)
        answer.close()

    def get(self, name: str) -> tuple[int, Iterator[bytes]]:
        """(size, chunks) of the object, streamed; S3Error 404 if it is not there."""
        answer = self._send("GET", name, {}, EMPTY_SHA256, stream=True)
        size = int(answer.headers.get("Content-Length", "0") or 0)

        def chunks() -> Iterator[bytes]:
            try:
                yield from answer.iter_content(CHUNK)
            except requests.RequestException as exc:
                raise S3Unreachable(f"GET {name}: {type(exc).__name__}") from exc
            finally:
                answer.close()

        return size, chunks()

    def read(self, name: str) -> bytes:
        _size, chunks = self.get(name)
        return b"".join(chunks)

    def exists(self, name: str) -> bool:
        try:
            self._send("HEAD", name, {}, EMPTY_SHA256).close()
        except S3Error as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def delete(self, name: str) -> None:
        self._send("DELETE", name, {}, EMPTY_SHA256).close()

    def _send(
        self,
        method: str,
        name: str,
        headers: dict[str, str],
        payload_sha256: str,
        *,
        data: bytes | None = None,
        stream: bool = False,
    ) -> requests.Response:
        url, signed = self._signed(method, name, headers, payload_sha256)
        try:
            answer = self.session.request(
                method, url, headers=signed, data=data, stream=stream, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise S3Unreachable(f"{method} {name}: {type(exc).__name__}") from exc
        if answer.status_code >= 500:
            answer.close()
            raise S3Unreachable(f"{method} {name}: HTTP {answer.status_code}")
        if answer.status_code >= 300:
            text = "" if method == "HEAD" else answer.text
            answer.close()
            raise S3Error(answer.status_code, text)
        return answer

    def _signed(
        self, method: str, name: str, headers: dict[str, str], payload_sha256: str
    ) -> tuple[str, dict[str, str]]:
        c = self.config
        base = urlsplit(c.endpoint)
        host = f"{c.bucket}.{base.netloc}" if c.virtual_host else base.netloc
        path = quote(f"/{self.key(name)}", safe="/-_.~")
        if not c.virtual_host:
            path = f"/{quote(c.bucket, safe='-_.~')}{path}"
        path = f"{base.path.rstrip('/')}{path}"
        stamp = datetime.now(UTC)
        amz_date = stamp.strftime("%Y%m%dT%H%M%SZ")
        day = amz_date[:8]
        signed = {
            **headers,
            "Host": host,
            "x-amz-date": amz_date,
            "x-amz-content-sha256": payload_sha256,
        }
        if c.session_token:
            signed["x-amz-security-token"] = c.session_token
        names = sorted((k.lower(), " ".join(str(v).split())) for k, v in signed.items())
        canonical = "\n".join(
            [
                method,
                path,
                "",
                "".join(f"{k}:{v}\n" for k, v in names),
                ";".join(k for k, _ in names),
                payload_sha256,
            ]
        )
        scope = f"{day}/{c.region}/s3/aws4_request"
        to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256",
                amz_date,
                scope,
                hashlib.sha256(canonical.encode()).hexdigest(),
            ]
        )
        key = f"AWS4{c.secret_key}".encode()
        for part in (day, c.region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        signed["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={c.access_key}/{scope}, "
            f"SignedHeaders={';'.join(k for k, _ in names)}, Signature={signature}"
        )
        return f"{base.scheme}://{host}{path}", signed
