/**
 * The audit's findings as policy reports: one {@code PolicyReport} (wgpolicyk8s.io/v1alpha2) and one {@code Report}
 * (openreports.io/v1alpha1) named {@code upstream-guard} per namespace with findings, for Policy Reporter, its alerts
 * and the dashboards that read the policy reports API.
 *
 * <p>{@link dev.upstreamguard.reports.NamespaceReport} builds a report's content from an audit (pure: no client, no
 * clock); {@link dev.upstreamguard.reports.ReportWriter} brings one API's reports in line with it (discovery, one list,
 * then only the writes whose content changed); {@link dev.upstreamguard.reports.PolicyReports} runs the writers after
 * each audit, against a live cluster only. Nothing here can fail an audit: a failed write is logged, counted and tried
 * again at the next audit.
 */
package dev.upstreamguard.reports;
