/**
 * The vcj API: the {@link org.vcj.api.VC} service (Kata's ID-based 1.0 API), the
 * {@link org.vcj.api.VCSandbox}/{@link org.vcj.api.VCContainer} handles (the object API),
 * immutable configuration and status records, and the sealed {@link org.vcj.api.VcException} family.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.vcj.api;
