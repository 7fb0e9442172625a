//! REST (bareos-restapi compatible), JSON-RPC 2.0 and Prometheus metrics for Bareos
//! directors, over pooled console connections.
