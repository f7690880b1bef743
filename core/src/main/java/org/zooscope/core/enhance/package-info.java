/**
 * CDeep3M2's automatic slice enhancement ({@link org.zooscope.core.enhance.AutoEnhancer}) and the scikit-image
 * algorithms it uses, reimplemented to match scikit-image 0.19: {@link org.zooscope.core.enhance.Percentiles}
 * (numpy linear), {@link org.zooscope.core.enhance.NoiseSigma} ({@code estimate_sigma}) and
 * {@link org.zooscope.core.enhance.TvDenoise} ({@code denoise_tv_chambolle}).
 */
package org.zooscope.core.enhance;
