"""A throwaway OpenLDAP `slapd` on loopback: own config, schema includes, mdb database and
TLS certificates under a temporary directory; nothing of the system's slapd state is used."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DATA = Path(__file__).parent / "data"
SUFFIX = "dc=example,dc=com"
ROOT_DN = f"cn=admin,{SUFFIX}"
SYSTEM_SCHEMA = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


@dataclass(frozen=True)
class Certificates:
    ca: Path
    other_ca: Path  # a CA that signed nothing the server shows
    server_cert: Path
    server_key: Path


@dataclass(frozen=True)
class SlapdServer:
    process: subprocess.Popen[bytes]
    port: int
    tls_port: int
    certificates: Certificates
    workdir: Path

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    # TLS URLs name the host `localhost`: ldap3 checks the certificate's names itself,
    # and on Python 3.12+ its fallback matcher knows DNS names only, not IP addresses.
    @property
    def start_tls_url(self) -> str:
        return f"ldap://localhost:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://localhost:{self.tls_port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def slapd_binary() -> str | None:
    return shutil.which("slapd") or shutil.which("slapd", path="/usr/sbin:/usr/local/sbin")


def slapadd_binary() -> str | None:
    return shutil.which("slapadd") or shutil.which("slapadd", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_slapd(workdir: Path, root_password: str) -> SlapdServer:
    """Configure, load and start slapd; waits until it accepts connections."""
    slapd, slapadd = slapd_binary(), slapadd_binary()
    if slapd is None or slapadd is None:
        raise FileNotFoundError("slapd")
    database = workdir / "db"
    database.mkdir()
    certificates = write_certificates(workdir)
    config = workdir / "slapd.conf"
    config.write_text(_config(workdir, database, certificates, root_password), encoding="utf-8")
    subprocess.run(
        [slapadd, "-f", str(config), "-l", str(DATA / "tree.ldif")],
        check=True,
        capture_output=True,
    )
    port, tls_port = free_port(), free_port()
    listen = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
    # `-d 0`: stay in the foreground (no fork), so the process is ours to stop.
    log = (workdir / "slapd.log").open("wb")
    process = subprocess.Popen(
        [slapd, "-f", str(config), "-h", listen, "-d", "0"], stdout=log, stderr=log
    )
    server = SlapdServer(process, port, tls_port, certificates, workdir)
    _wait_listening(server, port)
    return server


def _wait_listening(server: SlapdServer, port: int, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = (server.workdir / "slapd.log").read_text(errors="replace")
            raise RuntimeError(f"slapd exited with {server.process.returncode}: {log[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"slapd did not listen on 127.0.0.1:{port} within {timeout_s}s")


def _config(workdir: Path, database: Path, certificates: Certificates, root_password: str) -> str:
    includes = "\n".join(f"include {SYSTEM_SCHEMA / name}.schema" for name in SCHEMAS)
    return f"""
{includes}
include {DATA / "test.schema"}

modulepath {MODULES}
moduleload back_mdb
moduleload ppolicy

# Idle connections are closed after a second, as directories do (AD: MaxConnIdleTime),
# so the suite sees the pool replace connections the server dropped.
idletimeout 1

pidfile {workdir / "slapd.pid"}
argsfile {workdir / "slapd.args"}

TLSCACertificateFile {certificates.ca}
TLSCertificateFile {certificates.server_cert}
TLSCertificateKeyFile {certificates.server_key}

database mdb
maxsize 16777216
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {root_password}
directory {database}

overlay ppolicy
ppolicy_default "cn=default,ou=policies,{SUFFIX}"
ppolicy_use_lockout

access to attrs=userPassword
    by anonymous auth
    by self write
    by * none
access to *
    by * read
"""


def write_certificates(workdir: Path) -> Certificates:
    """A test CA, a server certificate for 127.0.0.1 and localhost it signed, and a
    second, unrelated CA."""
    ca_key, ca_cert = _ca("flext-db-oracle test CA")
    _, other_cert = _ca("flext-db-oracle unrelated CA")
    server_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(
        ca=workdir / "ca.pem",
        other_ca=workdir / "other-ca.pem",
        server_cert=workdir / "server.pem",
        server_key=workdir / "server-key.pem",
    )
    paths.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.other_ca.write_bytes(other_cert.public_bytes(serialization.Encoding.PEM))
    paths.server_cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    paths.server_key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate
