// A handwritten signature drawn with a finger, a pen or a mouse (pointer events cover all three).
// Optional: the signature is the second factor; the drawing is printed on the certificate. When
// the form is sent, the drawing goes along as a PNG in the hidden field; an untouched pad sends
// nothing, and "Clear" starts again.
(function () {
  'use strict';
  var canvas = document.getElementById('signature-pad');
  var field = document.getElementById('signature-drawing');
  var clear = document.getElementById('signature-clear');
  if (!canvas || !field || !canvas.getContext) return;
  var context = canvas.getContext('2d');
  var drawn = false, drawing = false, last = null;

  // Draw at the screen's pixel density so strokes stay sharp on phones.
  function fit() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.strokeStyle = '#111';
    drawn = false;
    field.value = '';
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener('pointerdown', function (event) {
    drawing = true;
    last = point(event);
    canvas.setPointerCapture(event.pointerId);
    context.beginPath();
    context.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
    context.fillStyle = '#111';
    context.fill();
    event.preventDefault();
  });
  canvas.addEventListener('pointermove', function (event) {
    if (!drawing) return;
    var next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    drawn = true;
    event.preventDefault();
  });
  function stop() {
    if (!drawing) return;
    drawing = false;
    if (drawn) field.value = canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    var status = document.getElementById('signature-status');
    if (status) status.textContent = drawn ? status.getAttribute('data-drawn') : '';
  }
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  if (clear) clear.addEventListener('click', function () {
    fit();
    var status = document.getElementById('signature-status');
    if (status) status.textContent = status.getAttribute('data-cleared');
  });
  fit();
  window.addEventListener('resize', function () { if (!drawn) fit(); });
})();
