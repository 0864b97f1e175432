//! The cluster's certificates: a CA, the API server's serving certificate and the admin
//! client certificate, made on first start and kept in the data directory.
//!
//! Files (PEM) in `DIR/pki/`: `ca.crt`, `ca.key`, `apiserver.crt`, `apiserver.key`,
//! `admin.crt`, `admin.key`. Keys are written with mode 0600.

use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};

/// Errors making or loading certificates.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: not a valid PEM certificate or key")]
    BadPem(PathBuf),
}

/// PEM material of one certificate and its key.
#[derive(Clone, Debug)]
pub struct CertPair {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The cluster PKI as loaded from disk.
#[derive(Clone, Debug)]
pub struct Pki {
    pub dir: PathBuf,
    pub ca: CertPair,
    pub server: CertPair,
    pub admin: CertPair,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PkiError + '_ {
    move |source| PkiError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_file(path: &Path, data: &str, mode: u32) -> Result<(), PkiError> {
    let tmp = path.with_extension("tmp");
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .map_err(io_err(&tmp))?;
    f.write_all(data.as_bytes()).map_err(io_err(&tmp))?;
    f.sync_all().map_err(io_err(&tmp))?;
    fs::rename(&tmp, path).map_err(io_err(path))
}

fn validity(params: &mut CertificateParams, years: i32) {
    let now = jiff::Timestamp::now();
    let year = now.to_zoned(jiff::tz::TimeZone::UTC).year() as i32;
    params.not_before = rcgen::date_time_ymd(year - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + years, 1, 1);
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "tug-ca");
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
    ];
    validity(&mut params, 10);
    params
}

/// Signs a client certificate for `user` in `groups` (CN = user, O = each group), as
/// Kubernetes' x509 authenticator reads them.
pub fn sign_client_cert(ca: &CertPair, user: &str, groups: &[&str]) -> Result<CertPair, PkiError> {
    let ca_key = KeyPair::from_pem(&ca.key_pem)?;
    // The issuer is rebuilt from the CA's parameters: same subject, same key, so the
    // signatures and authority key identifiers match the stored CA certificate.
    let issuer = Issuer::new(ca_params(), ca_key);
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    for g in groups {
        dn.push(DnType::OrganizationName, *g);
    }
    dn.push(DnType::CommonName, user);
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.use_authority_key_identifier_extension = true;
    validity(&mut params, 1);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    Ok(CertPair {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

fn sign_server_cert(ca: &CertPair, dns: &[String], ips: &[IpAddr]) -> Result<CertPair, PkiError> {
    let ca_key = KeyPair::from_pem(&ca.key_pem)?;
    // The issuer is rebuilt from the CA's parameters: same subject, same key, so the
    // signatures and authority key identifiers match the stored CA certificate.
    let issuer = Issuer::new(ca_params(), ca_key);
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "tug-apiserver");
    params.distinguished_name = dn;
    for d in dns {
        params
            .subject_alt_names
            .push(SanType::DnsName(d.clone().try_into()?));
    }
    for ip in ips {
        params.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    validity(&mut params, 1);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    Ok(CertPair {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

/// The names and addresses the serving certificate covers: localhost, the loopback
/// addresses, the host name, every local interface address, and the in-cluster names of the
/// `kubernetes` Service.
pub fn serving_names(extra_ips: &[IpAddr]) -> (Vec<String>, Vec<IpAddr>) {
    let mut dns = vec![
        "localhost".to_string(),
        "kubernetes".to_string(),
        "kubernetes.default".to_string(),
        "kubernetes.default.svc".to_string(),
        "kubernetes.default.svc.cluster.local".to_string(),
    ];
    if let Ok(h) = fs::read_to_string("/proc/sys/kernel/hostname") {
        let h = h.trim().to_string();
        if !h.is_empty() && !dns.contains(&h) {
            dns.push(h);
        }
    }
    let mut ips: Vec<IpAddr> = vec![
        "127.0.0.1".parse().expect("literal"),
        "::1".parse().expect("literal"),
    ];
    if let Ok(ifs) = if_addrs::get_if_addrs() {
        for i in ifs {
            if !ips.contains(&i.ip()) {
                ips.push(i.ip());
            }
        }
    }
    for ip in extra_ips {
        if !ips.contains(ip) {
            ips.push(*ip);
        }
    }
    (dns, ips)
}

impl Pki {
    /// Loads the PKI from `dir/pki`, creating whatever is missing. The serving certificate
    /// covers [`serving_names`] plus `extra_ips` (the service network's first address).
    pub fn load_or_create(dir: &Path, extra_ips: &[IpAddr]) -> Result<Pki, PkiError> {
        let pki = dir.join("pki");
        fs::create_dir_all(&pki).map_err(io_err(&pki))?;
        let read = |name: &str| -> Result<Option<String>, PkiError> {
            let p = pki.join(name);
            match fs::read_to_string(&p) {
                Ok(s) => Ok(Some(s)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(PkiError::Io { path: p, source: e }),
            }
        };
        let load_pair = |base: &str| -> Result<Option<CertPair>, PkiError> {
            match (read(&format!("{base}.crt"))?, read(&format!("{base}.key"))?) {
                (Some(cert_pem), Some(key_pem)) => Ok(Some(CertPair { cert_pem, key_pem })),
                _ => Ok(None),
            }
        };
        let store = |base: &str, pair: &CertPair| -> Result<(), PkiError> {
            write_file(&pki.join(format!("{base}.key")), &pair.key_pem, 0o600)?;
            write_file(&pki.join(format!("{base}.crt")), &pair.cert_pem, 0o644)
        };

        let ca = match load_pair("ca")? {
            Some(p) => p,
            None => {
                let key = KeyPair::generate()?;
                let cert = ca_params().self_signed(&key)?;
                let p = CertPair {
                    cert_pem: cert.pem(),
                    key_pem: key.serialize_pem(),
                };
                store("ca", &p)?;
                p
            }
        };
        let server = match load_pair("apiserver")? {
            Some(p) => p,
            None => {
                let (dns, ips) = serving_names(extra_ips);
                let p = sign_server_cert(&ca, &dns, &ips)?;
                store("apiserver", &p)?;
                p
            }
        };
        let admin = match load_pair("admin")? {
            Some(p) => p,
            None => {
                let p = sign_client_cert(&ca, "tug-admin", &["system:masters"])?;
                store("admin", &p)?;
                p
            }
        };
        Ok(Pki {
            dir: pki,
            ca,
            server,
            admin,
        })
    }
}
