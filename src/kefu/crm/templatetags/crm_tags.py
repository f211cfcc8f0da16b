"""Template filters that show sensitive fields masked, with the one masking rule."""

from django import template

from kefu.crm.masking import mask_address, mask_certificate

register = template.Library()

register.filter("mask_certificate", mask_certificate)
register.filter("mask_address", mask_address)
